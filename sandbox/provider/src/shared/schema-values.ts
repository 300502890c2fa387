// Deterministic values that satisfy a tool's parameter schema, for the sandbox's tool calls. Understands the JSON
// Schema subset tools use (OpenAI `parameters`, Anthropic `input_schema`) and Gemini's OpenAPI-style Schema
// (upper-case `type`s): required properties only, strings get a filler word, numbers 1, booleans true, enums their
// first value, arrays one item.
import { wordFor } from './deterministic-text';

const MAX_DEPTH = 8;

type Schema = Record<string, unknown>;

/** The tool-call arguments for `schema`: always an object, `{}` when the schema has no required properties. */
export function argumentsFromSchema(schema: unknown, toolName: string): Record<string, unknown> {
  const value = valueFromSchema(schema, [toolName], 0);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Any value for `schema` (structured output: Gemini's `responseSchema`); `name` seeds its string values. */
export function exampleFromSchema(schema: unknown, name: string): unknown {
  return valueFromSchema(schema, [name], 0);
}

function valueFromSchema(schema: unknown, path: readonly string[], depth: number): unknown {
  if (!isSchema(schema) || depth > MAX_DEPTH) return null;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.length > 0) {
      const branch = branches.find((b) => !(isSchema(b) && typeOf(b) === 'null')) ?? branches[0];
      return valueFromSchema(branch, path, depth + 1);
    }
  }
  switch (typeOf(schema)) {
    case 'string':
      return wordFor(...path);
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array':
      return schema.items === undefined ? [] : [valueFromSchema(schema.items, [...path, '0'], depth + 1)];
    case 'object':
      return objectFromSchema(schema, path, depth);
    default:
      return null;
  }
}

function objectFromSchema(schema: Schema, path: readonly string[], depth: number): Record<string, unknown> {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required.filter((n): n is string => typeof n === 'string') : [];
  const out: Record<string, unknown> = {};
  for (const name of required) out[name] = valueFromSchema(properties[name], [...path, name], depth + 1);
  return out;
}

/** The schema's type, lower-cased (Gemini writes `STRING`); the first non-null of a type list; inferred when absent. */
function typeOf(schema: Schema): string | undefined {
  const type = Array.isArray(schema.type) ? (schema.type.find((t) => t !== 'null') ?? schema.type[0]) : schema.type;
  if (typeof type === 'string') return type.toLowerCase();
  if (schema.properties !== undefined) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

function isSchema(value: unknown): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
