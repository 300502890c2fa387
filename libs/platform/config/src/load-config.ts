import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment once, at boot, against one zod schema. Every problem names its variable,
 * so a bad deployment stops with a message an operator can act on.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  // Empty strings mean "unset", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const got = typeof issue.path[0] === 'string' ? present[issue.path[0]] : undefined;
    const shown = got === undefined ? 'it is not set' : `got "${redact(issue.path[0] as string, got)}"`;
    return `${variable}: ${issue.message} (${shown})`;
  });
  throw new ConfigError(problems);
}

/** Runs a service's boot, turning a configuration error into a one-line-per-problem exit. */
export function exitOnConfigError(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  throw error;
}

function redact(name: string, value: string): string {
  return /KEY|SECRET|TOKEN|PASSWORD/i.test(name) ? '***' : /:\/\/[^@/]*@/.test(value) ? value.replace(/\/\/[^@/]*@/, '//***@') : value;
}
