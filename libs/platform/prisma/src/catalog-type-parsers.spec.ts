import type { FieldDef } from 'pg';
import { catalogColumnsAsText } from './catalog-type-parsers';

const field = (name: string, dataTypeID: number) => ({ name, dataTypeID }) as FieldDef;

describe('catalogColumnsAsText', () => {
  it('turns catalog scalars into text and leaves other columns alone', () => {
    const result = {
      fields: [field('relname', 19), field('relkind', 18), field('indkey', 22), field('n', 23), field('custom', 16_500)],
      rows: [['accounts', 'r', '1 2', 7, 'x']],
    };
    catalogColumnsAsText(result);
    expect(result.fields.map((f) => f.dataTypeID)).toEqual([25, 25, 25, 23, 16_500]);
    expect(result.rows).toEqual([['accounts', 'r', '1 2', 7, 'x']]);
  });

  it('turns name[] and "char"[] into text[] with the values parsed into arrays', () => {
    const result = {
      fields: [field('columns', 1003), field('kinds', 1002)],
      rows: [
        ['{id,"account id"}', '{r,v}'],
        [null, '{}'],
      ],
    };
    catalogColumnsAsText(result);
    expect(result.fields.map((f) => f.dataTypeID)).toEqual([1009, 1009]);
    expect(result.rows).toEqual([
      [
        ['id', 'account id'],
        ['r', 'v'],
      ],
      [null, []],
    ]);
  });

  it('rewrites rows in object mode by column name', () => {
    const result = { fields: [field('cols', 1003)], rows: [{ cols: '{a,b}' }] };
    catalogColumnsAsText(result);
    expect(result.rows).toEqual([{ cols: ['a', 'b'] }]);
  });

  it('passes results without fields through (e.g. a command result)', () => {
    const result = { fields: undefined, rows: [] } as unknown as Parameters<typeof catalogColumnsAsText>[0];
    expect(catalogColumnsAsText(result)).toBe(result);
  });
});
