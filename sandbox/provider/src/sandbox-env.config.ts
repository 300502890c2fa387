// Reads the sandbox's configuration from the environment once, at boot. A bad value is reported with the name of
// the variable so `SANDBOX_PORT=80a npm ...` fails with a sentence, not a stack trace.
import { z } from 'zod';
import { MAX_DELAY_MS } from './shared/sandbox-settings';

export interface SandboxEnv {
  port: number;
  host: string;
  apiKey: string;
  latencyMs: number;
  chunkDelayMs: number;
  /** How long a video or music task takes. */
  mediaTaskMs: number;
}

export class SandboxEnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid sandbox environment: ${problems.join('; ')}`);
    this.name = 'SandboxEnvError';
  }
}

// Environment values are strings: accept only plain decimal integers, so "1e3", "0x10" and " 5" are refused.
const integer = (min: number, max: number) => {
  const rule = `expected an integer from ${min} to ${max}`;
  return z.string().regex(/^\d+$/, rule).transform(Number).pipe(z.number().min(min, rule).max(max, rule));
};

const envSchema = z.object({
  SANDBOX_PORT: integer(0, 65535).default(8090),
  SANDBOX_HOST: z.string().min(1).default('127.0.0.1'),
  SANDBOX_API_KEY: z.string().min(1).default('sandbox-key'),
  SANDBOX_LATENCY_MS: integer(0, MAX_DELAY_MS).default(0),
  SANDBOX_CHUNK_DELAY_MS: integer(0, MAX_DELAY_MS).default(0),
  SANDBOX_MEDIA_TASK_MS: integer(0, MAX_DELAY_MS).default(8_000),
});

export function parseSandboxEnv(env: NodeJS.ProcessEnv): SandboxEnv {
  // An empty variable (`SANDBOX_PORT=`) means "unset", as shells and compose files commonly produce it.
  const present = Object.fromEntries(Object.keys(envSchema.shape).flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
  const result = envSchema.safeParse(present);
  if (!result.success) {
    // Name the variable and the rule, never the value: SANDBOX_API_KEY is a secret, even a sandbox one.
    throw new SandboxEnvError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const values = result.data;
  return {
    port: values.SANDBOX_PORT,
    host: values.SANDBOX_HOST,
    apiKey: values.SANDBOX_API_KEY,
    latencyMs: values.SANDBOX_LATENCY_MS,
    chunkDelayMs: values.SANDBOX_CHUNK_DELAY_MS,
    mediaTaskMs: values.SANDBOX_MEDIA_TASK_MS,
  };
}
