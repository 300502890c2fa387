import type { z } from 'zod';
import { GatewayError } from '@apitopmix/platform/errors';

/**
 * Validates a parsed JSON body against one of the dialect's request schemas, as OpenAI's API does: the error names
 * the first field at fault in OpenAI's `param` notation (`messages[0].role`). Shared by every OpenAI endpoint.
 */
export function parseOpenAiBody<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
  describeIssue: (issue: z.core.$ZodIssue) => string = describe,
): z.infer<Schema> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw GatewayError.invalid('The request body must be a JSON object.');
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = toParam(issue.path);
  const value = issue.path.reduce<unknown>((node, key) => (node as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey], body);
  const message = value === undefined ? `Missing required parameter: '${param}'.` : `Invalid value for '${param}': ${describeIssue(issue)}`;
  throw GatewayError.invalid(message, param);
}

/** `['messages', 0, 'role']` → `messages[0].role`. */
export function toParam(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      return `must be at least ${String(issue.minimum)}${issue.origin === 'array' ? ' item(s)' : ''}.`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}${issue.origin === 'array' ? ' item(s)' : ''}.`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => `'${String(v)}'`).join(', ')}.`;
    case 'invalid_type':
      return `expected ${issue.expected}.`;
    default:
      return `${issue.message}.`;
  }
}
