// Types of chart-tools.js, for the chart's TypeScript specs.
export const HELM_VERSION: string;
export const KUBERNETES_VERSION: string;
export const repoRoot: string;
export const chartDir: string;
export function helmPath(): string;
export function schemasPath(): string;
export function ensureHelm(log?: (message: string) => void): string;
export function ensureSchemas(log?: (message: string) => void): K8sSchemas;
export function helmTemplate(options?: {
  valueFiles?: string[];
  setJson?: Record<string, unknown>;
  release?: string;
  namespace?: string;
  extraArgs?: string[];
}): string;
export function parseManifests(text: string): K8sObject[];
export function run(command: string, args: string[], options?: object): string;

export interface K8sSchemas {
  kubernetesVersion: string;
  definitions: Record<string, unknown>;
  kinds: Record<string, string>;
}

/** A rendered object: the specs walk its spec freely, as YAML does. */
export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
};
