// Turns a zod validation failure into the 400 Anthropic returns for it: the first problem only, as
// `<dotted.path>: <pydantic-style message>` (`messages.0.content: Input should be a valid list`).
import type { z } from 'zod';
import { AnthropicError } from './anthropic-error';

type Issue = z.core.$ZodIssue;

export function parseAnthropicJsonBody<Schema extends z.ZodType>(schema: Schema, raw: string): z.infer<Schema> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw AnthropicError.invalidJson();
  }
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  throw AnthropicError.invalidRequest(describeIssue(result.error.issues[0], json));
}

export function describeIssue(issue: Issue, body: unknown): string {
  const value = valueAt(body, issue.path);
  const at = (path: readonly PropertyKey[]) => path.map(String).join('.');
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${at([...issue.path, issue.keys[0]])}: Extra inputs are not permitted`;
    case 'invalid_type':
      return `${at(issue.path)}: ${value === undefined ? 'Field required' : expectedType(issue.expected)}`;
    case 'invalid_union': {
      if (issue.discriminator !== undefined && issue.errors.length === 0) {
        // Anthropic names the object, not its `type` field, and quotes the tag it could not place.
        const tag = valueAt(body, issue.path);
        return `${at(issue.path.slice(0, -1))}: Input tag '${String(tag)}' found using 'type' does not match any of the ` + 'expected tags';
      }
      // Report from the branch the value was meant for: the one that did not fail on the value's own type.
      const branch = issue.errors.find((issues) => !(issues[0]?.code === 'invalid_type' && issues[0].path.length === 0));
      if (branch?.[0]) return describeIssue({ ...branch[0], path: [...issue.path, ...branch[0].path] } as Issue, body);
      const first = issue.errors[0]?.[0];
      return `${at(issue.path)}: ${first?.code === 'invalid_type' ? expectedType(first.expected) : 'Input is invalid'}`;
    }
    case 'invalid_value':
      return `${at(issue.path)}: Input should be ${listValues(issue.values)}`;
    case 'too_small':
      if (issue.origin === 'array') {
        return `${at(issue.path)}: List should have at least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'} after validation, not ${Array.isArray(value) ? value.length : 0}`;
      }
      if (issue.origin === 'string')
        return `${at(issue.path)}: String should have at least ${issue.minimum} character${Number(issue.minimum) === 1 ? '' : 's'}`;
      return `${at(issue.path)}: Input should be greater than ${issue.inclusive ? 'or equal to ' : ''}${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'array') {
        return `${at(issue.path)}: List should have at most ${issue.maximum} items after validation, not ${Array.isArray(value) ? value.length : 0}`;
      }
      if (issue.origin === 'string') return `${at(issue.path)}: String should have at most ${issue.maximum} characters`;
      return `${at(issue.path)}: Input should be less than ${issue.inclusive ? 'or equal to ' : ''}${issue.maximum}`;
    case 'invalid_format':
      return `${at(issue.path)}: String should match pattern '${issue.pattern ?? issue.format}'`;
    default:
      return `${at(issue.path)}: ${issue.message}`;
  }
}

function expectedType(expected: string): string {
  switch (expected) {
    case 'string':
      return 'Input should be a valid string';
    case 'number':
      return 'Input should be a valid number';
    case 'int':
    case 'integer':
      return 'Input should be a valid integer';
    case 'boolean':
      return 'Input should be a valid boolean';
    case 'array':
      return 'Input should be a valid list';
    case 'object':
    case 'record':
      return 'Input should be a valid dictionary';
    default:
      return `Input should be a valid ${expected}`;
  }
}

function listValues(values: readonly unknown[]): string {
  const quoted = values.map((v) => `'${String(v)}'`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}` : quoted.join('');
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let current = body;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
