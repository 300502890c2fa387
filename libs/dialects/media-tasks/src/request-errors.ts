import { z } from 'zod';
import { GatewayError } from '@apitopmix/platform/errors';

/** Validates a parsed body against a schema; the error names the first field at fault (`param`). */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw GatewayError.invalid('The request body must be a JSON object.');
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue.path.map(String).join('.');
  const value = issue.path.reduce<unknown>((node, key) => (node as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey], body);
  throw GatewayError.invalid(value === undefined ? `Missing required parameter: '${param}'.` : `Invalid value for '${param}': ${describe(issue)}`, param);
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      return issue.origin === 'string' ? 'must not be empty.' : `must be at least ${String(issue.minimum)}.`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}.`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => `'${String(v)}'`).join(', ')}.`;
    case 'invalid_type':
      return `expected ${issue.expected}.`;
    default:
      return `${issue.message}.`;
  }
}
