const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Google's Schema sends its int64 bounds as JSON strings (proto JSON); JSON Schema wants numbers. */
const int64Fields = new Set(['minItems', 'maxItems', 'minLength', 'maxLength', 'minProperties', 'maxProperties']);

/**
 * Google's `Schema` (an OpenAPI 3.0 subset: `parameters`, `responseSchema`) as the JSON Schema the canonical model
 * carries: types lowercased (`OBJECT` → `object`), `nullable: true` → a `null` type, `example` → `examples`, int64
 * strings → numbers. Every other keyword means the same in both and is kept.
 */
export function openApiSchemaToJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(openApiSchemaToJsonSchema);
  if (!isPlainObject(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'type') {
      if (typeof value === 'string' && value !== 'TYPE_UNSPECIFIED') out.type = value.toLowerCase();
    } else if (key === 'nullable') {
      continue;
    } else if (key === 'properties' && isPlainObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, property]) => [name, openApiSchemaToJsonSchema(property)]));
    } else if (key === 'items' || key === 'anyOf') {
      out[key] = openApiSchemaToJsonSchema(value);
    } else if (key === 'example') {
      out.examples = [value];
    } else if (int64Fields.has(key) && typeof value === 'string' && /^\d+$/.test(value)) {
      out[key] = Number(value);
    } else {
      out[key] = value;
    }
  }
  if (schema.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.anyOf)) out.anyOf = [...out.anyOf, { type: 'null' }];
  }
  return out;
}
