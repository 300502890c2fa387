// Turns a zod validation failure into the 400 OpenAI returns for it: the first problem only, `param` as a dotted
// path (`messages[0].role`), and OpenAI's wording and codes. Shared by every OpenAI-format endpoint the sandbox
// serves, so request schemas stay declarative.
import type { z } from 'zod';
import { OpenAiError } from './openai-error';

type Issue = z.core.$ZodIssue;

export function parseOpenAiJsonBody<Schema extends z.ZodType>(schema: Schema, raw: string): z.infer<Schema> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw OpenAiError.invalidJson();
  }
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  throw toOpenAiError(result.error.issues[0], json);
}

export function toOpenAiError(issue: Issue, body: unknown): OpenAiError {
  const param = issue.path.length > 0 ? formatParam(issue.path) : null;
  const value = valueAt(body, issue.path);
  const invalid = (code: string | null, message: string) => new OpenAiError(400, message, 'invalid_request_error', param, code);

  if (param !== null && value === undefined) {
    return invalid('missing_required_parameter', `Missing required parameter: '${param}'.`);
  }
  switch (issue.code) {
    case 'invalid_type':
      return invalid(
        'invalid_type',
        `Invalid type for '${param ?? 'body'}': expected ${describeExpected(issue.expected)}, ` + `but got ${describeValue(value)} instead.`,
      );
    case 'invalid_union': {
      const expected = [
        ...new Set(
          issue.errors
            .map((branch) => branch.find((i) => i.path.length === 0))
            .filter((i): i is z.core.$ZodIssueInvalidType => i?.code === 'invalid_type')
            .map((i) => describeExpected(i.expected)),
        ),
      ];
      return invalid('invalid_type', `Invalid type for '${param}': expected ${listAlternatives(expected)}, but got ${describeValue(value)} instead.`);
    }
    case 'invalid_value':
      return invalid('invalid_value', `Invalid value: '${String(value)}'. Supported values are: ${listValues(issue.values)}.`);
    case 'too_small':
      if (issue.origin === 'array' && Array.isArray(value) && value.length === 0) {
        return invalid(
          'empty_array',
          `Invalid '${param}': empty array. Expected an array with minimum length ${issue.minimum}, ` + 'but got an empty array instead.',
        );
      }
      if (issue.origin === 'array') {
        return invalid('array_below_min_length', `Invalid '${param}': array too short. Expected an array with minimum length ${issue.minimum}.`);
      }
      if (issue.origin === 'string') {
        return invalid(
          'string_below_min_length',
          `Invalid '${param}': string too short. Expected a string with minimum length ${issue.minimum}, ` + 'but got an empty string instead.',
        );
      }
      return invalid(
        'integer_below_min_value',
        `Invalid '${param}': integer below minimum value. Expected a value >= ${issue.minimum}, ` + `but got ${String(value)} instead.`,
      );
    case 'too_big':
      if (issue.origin === 'array') {
        return invalid(
          'array_above_max_length',
          `Invalid '${param}': array too long. Expected an array with maximum length ${issue.maximum}, ` +
            `but got an array with length ${Array.isArray(value) ? value.length : 0} instead.`,
        );
      }
      return invalid(
        'integer_above_max_value',
        `Invalid '${param}': integer above maximum value. Expected a value <= ${issue.maximum}, ` + `but got ${String(value)} instead.`,
      );
    default:
      return invalid(null, `Invalid '${param ?? 'body'}': ${issue.message}.`);
  }
}

/** `['messages', 0, 'role']` → `messages[0].role`, OpenAI's spelling of a nested parameter. */
export function formatParam(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, '');
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let current = body;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describeExpected(expected: string): string {
  switch (expected) {
    case 'array':
    case 'object':
    case 'integer':
      return `an ${expected}`;
    case 'int':
      return 'an integer';
    case 'null':
      return 'null';
    default:
      return `a ${expected}`;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function listValues(values: readonly unknown[]): string {
  const quoted = values.map((v) => `'${String(v)}'`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')}, and ${quoted[quoted.length - 1]}` : quoted.join('');
}

/** `a string`, `a string or null`, `a string, an array, or null`. */
function listAlternatives(options: readonly string[]): string {
  if (options.length === 0) return 'another type';
  if (options.length <= 2) return options.join(' or ');
  return `${options.slice(0, -1).join(', ')}, or ${options[options.length - 1]}`;
}
