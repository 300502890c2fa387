import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ProviderId, providers } from '@apitopmix/catalog';
import { ConfigError } from '@apitopmix/platform/config';

const providerIds = Object.keys(providers) as [ProviderId, ...ProviderId[]];

const deploymentSchema = z.object({
  /** Unique; appears in logs and metrics. */
  name: z.string().regex(/^[\w.-]+$/, 'letters, digits, ".", "_" and "-" only'),
  provider: z.enum(providerIds),
  /** Defaults to the provider's public API. */
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** The environment variable holding this deployment's key: secrets never live in the file. */
  apiKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name'),
  /** Share of first attempts among the healthy deployments of a model. */
  weight: z.number().positive().default(1),
  /** Public model ids this deployment serves; `*` matches any run of characters (`meta/*`, `*`). */
  models: z.array(z.string().min(1)).min(1).default(['*']),
});

export const routingConfigSchema = z.object({
  deployments: z.array(deploymentSchema),
  retry: z
    .object({
      /** Attempts per request in all, across deployments, before the first byte reaches the client. */
      maxAttempts: z.number().int().min(1).max(10).default(3),
      baseDelayMs: z.number().int().min(0).default(100),
      maxDelayMs: z.number().int().min(0).default(2_000),
      /** Longest the router waits for a deployment's Retry-After; longer, and it moves on or gives up. */
      maxRetryAfterMs: z.number().int().min(0).default(5_000),
    })
    .prefault({}),
  cooldown: z
    .object({
      /** Failures within windowMs that take a deployment out. */
      failures: z.number().int().min(1).default(3),
      windowMs: z.number().int().positive().default(30_000),
      durationMs: z.number().int().positive().default(30_000),
    })
    .prefault({}),
  /** Budget for all attempts of one request until its first byte. */
  totalTimeoutMs: z.number().int().positive().default(120_000),
});

export type RoutingConfig = z.infer<typeof routingConfigSchema>;
export type DeploymentConfig = RoutingConfig['deployments'][number];

/**
 * The routing configuration: the file named by ROUTING_CONFIG_FILE (JSON), or, without one, one deployment per
 * provider whose `<PREFIX>_API_KEY` is set, at `<PREFIX>_BASE_URL` or the vendor's public API.
 */
export function loadRoutingConfig(env: NodeJS.ProcessEnv = process.env): RoutingConfig {
  const file = env.ROUTING_CONFIG_FILE;
  let raw: unknown;
  if (file) {
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError([`ROUTING_CONFIG_FILE: cannot read ${file} as JSON (${(error as Error).message})`]);
    }
  } else {
    const badUrls = Object.values(providers)
      .map((p) => `${p.envPrefix}_BASE_URL`)
      .filter((name) => env[name] && !z.url({ protocol: /^https?$/ }).safeParse(env[name]).success)
      .map((name) => `${name}: must be an http(s) URL (got "${env[name]}")`);
    if (badUrls.length > 0) throw new ConfigError(badUrls);
    raw = {
      deployments: Object.values(providers)
        .filter((p) => env[`${p.envPrefix}_API_KEY`])
        .map((p) => ({ name: p.id, provider: p.id, baseUrl: env[`${p.envPrefix}_BASE_URL`] || undefined, apiKeyEnv: `${p.envPrefix}_API_KEY` })),
    };
  }
  const parsed = routingConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const where = file ? `ROUTING_CONFIG_FILE (${file})` : 'provider environment';
    throw new ConfigError(parsed.error.issues.map((i) => `${where}: ${i.path.join('.')}: ${i.message}`));
  }
  const names = new Set<string>();
  const problems: string[] = [];
  // Without a file, no provider configured at all is legal: every model then answers 503.
  if (file && parsed.data.deployments.length === 0) problems.push(`ROUTING_CONFIG_FILE (${file}): deployments: at least one is needed`);
  for (const deployment of parsed.data.deployments) {
    if (names.has(deployment.name)) problems.push(`deployment name "${deployment.name}" is used twice`);
    names.add(deployment.name);
    if (!env[deployment.apiKeyEnv]) problems.push(`${deployment.apiKeyEnv}: not set (the key of deployment "${deployment.name}")`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return parsed.data;
}
