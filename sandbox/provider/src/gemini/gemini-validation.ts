// Google's JSON request conventions: proto field names may be written lowerCamel or snake_case (clients mix them:
// `system_instruction` with `generationConfig`), unknown fields are refused, and problems are reported with proto
// (snake_case) paths. This module normalises keys and turns zod failures into Google's messages.
import type { z } from 'zod';
import { GeminiError } from './gemini-error';

type Issue = z.core.$ZodIssue;

export const snakeToCamel = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
export const camelToSnake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The object's own keys in lowerCamel; a key given both ways keeps the lowerCamel one. Values are untouched. */
export function camelKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const camel = snakeToCamel(key);
    if (camel in out && camel !== key) continue;
    out[camel] = v;
  }
  return out;
}

/** Applies `f` to each element of an array, or leaves a non-array alone (for zod to refuse). */
export function mapArray(value: unknown, f: (item: unknown) => unknown): unknown {
  return Array.isArray(value) ? value.map(f) : value;
}

/** `['generationConfig', 'stopSequences', 0]` → `generation_config.stop_sequences[0]`. */
export function protoPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    const name = camelToSnake(String(key));
    return out ? `${out}.${name}` : name;
  }, '');
}

export function parseGeminiJsonBody<Schema extends z.ZodType>(schema: Schema, raw: string, normalise: (json: unknown) => unknown): z.infer<Schema> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw GeminiError.invalidArgument(`Invalid JSON payload received. ${(error as Error).message}`);
  }
  const normalised = normalise(json);
  const result = schema.safeParse(normalised);
  if (result.success) return result.data;
  throw toGeminiError(result.error.issues[0], normalised);
}

export function fieldViolation(path: readonly PropertyKey[], reason: string): GeminiError {
  return GeminiError.invalidArgument(`* GenerateContentRequest.${protoPath(path)}: ${reason}\n`);
}

export function toGeminiError(issue: Issue, body: unknown): GeminiError {
  const path = protoPath(issue.path);
  const value = valueAt(body, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return GeminiError.invalidArgument(`Invalid JSON payload received. Unknown name "${issue.keys[0]}"${path ? ` at '${path}'` : ''}: Cannot find field.`);
    case 'invalid_type':
      if (value === undefined) return fieldViolation(issue.path, `${path.split('.').pop()} is not specified`);
      return GeminiError.invalidArgument(`Invalid JSON payload received. Invalid value at '${path}' (${protoType(issue.expected)}), ${JSON.stringify(value)}`);
    case 'invalid_value':
      return GeminiError.invalidArgument(`Invalid JSON payload received. Invalid value at '${path}' (TYPE_ENUM), ${JSON.stringify(value)}`);
    case 'too_small':
      if (issue.origin === 'array') return fieldViolation(issue.path, `${path.split('.').pop()} must not be empty.`);
      return fieldViolation(issue.path, `must be greater than or equal to ${issue.minimum}`);
    case 'too_big':
      if (issue.origin === 'array') return fieldViolation(issue.path, `must have at most ${issue.maximum} entries`);
      return fieldViolation(issue.path, `must be less than or equal to ${issue.maximum}`);
    default:
      return GeminiError.invalidArgument(`Invalid JSON payload received. Invalid value at '${path}'`);
  }
}

function protoType(expected: string): string {
  switch (expected) {
    case 'string':
      return 'TYPE_STRING';
    case 'number':
      return 'TYPE_FLOAT';
    case 'int':
    case 'integer':
      return 'TYPE_INT32';
    case 'boolean':
      return 'TYPE_BOOL';
    default:
      return `TYPE_MESSAGE`;
  }
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let current = body;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
