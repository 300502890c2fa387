import { argumentsFromSchema, exampleFromSchema } from './schema-values';

describe('argumentsFromSchema', () => {
  it('fills required properties only: a word, 1, true, the first enum value, one array item, nested objects', () => {
    const args = argumentsFromSchema(
      {
        type: 'object',
        properties: {
          city: { type: 'string' },
          unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
          days: { type: 'integer' },
          ratio: { type: 'number' },
          verbose: { type: 'boolean' },
          tags: { type: 'array', items: { type: 'string' } },
          where: { type: 'object', properties: { lat: { type: 'number' }, name: { type: 'string' } }, required: ['lat'] },
          optional: { type: 'string' },
        },
        required: ['city', 'unit', 'days', 'ratio', 'verbose', 'tags', 'where'],
      },
      'get_weather',
    );
    expect(args).toEqual({
      city: expect.stringMatching(/^[a-z]+$/),
      unit: 'celsius',
      days: 1,
      ratio: 1,
      verbose: true,
      tags: [expect.stringMatching(/^[a-z]+$/)],
      where: { lat: 1 },
    });
    expect(argumentsFromSchema({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, 'get_weather')).toEqual({ city: args.city });
  });

  it("reads Gemini's upper-case types, nullable type lists, const and anyOf", () => {
    expect(
      argumentsFromSchema(
        {
          type: 'OBJECT',
          properties: {
            q: { type: 'STRING' },
            n: { type: ['null', 'integer'] },
            mode: { const: 'fast' },
            pick: { anyOf: [{ type: 'null' }, { type: 'boolean' }] },
          },
          required: ['q', 'n', 'mode', 'pick'],
        },
        'search',
      ),
    ).toEqual({ q: expect.any(String), n: 1, mode: 'fast', pick: true });
  });

  it('gives {} for a missing, empty or non-object schema, and survives self-nesting', () => {
    expect(argumentsFromSchema(undefined, 't')).toEqual({});
    expect(argumentsFromSchema({ type: 'object', properties: {} }, 't')).toEqual({});
    expect(argumentsFromSchema({ type: 'string' }, 't')).toEqual({});
    const deep: Record<string, unknown> = { type: 'object', required: ['next'], properties: {} };
    (deep.properties as Record<string, unknown>).next = deep;
    expect(() => argumentsFromSchema(deep, 't')).not.toThrow();
  });

  it('builds top-level non-object examples for structured output', () => {
    expect(exampleFromSchema({ type: 'ARRAY', items: { type: 'INTEGER' } }, 'response')).toEqual([1]);
  });
});
