// Types of k8s-schemas.js, for the chart's TypeScript specs.
import type { K8sSchemas } from './chart-tools';
export function swaggerToSchemas(swagger: unknown): K8sSchemas;
export function createValidator(schemas: K8sSchemas): (object: unknown) => string[];
