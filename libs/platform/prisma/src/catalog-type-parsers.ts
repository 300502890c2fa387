// Workaround for prisma/orm#27403, needed by the Prisma CLI only (migrate, diff, introspection).
//
// @prisma/adapter-pg 6.x maps every column's type OID to a Prisma column type and throws
// "UnsupportedNativeDataType" for PostgreSQL catalog types it does not know (`name`, `"char"`, `oidvector`, ...).
// The WebAssembly schema engine reads pg_catalog, whose columns use exactly those types, so `migrate` fails.
// The adapter overrides pg's type parsers on every query, so a `types` option on the Pool cannot help; instead
// this pg.Client subclass rewrites each result before the adapter looks at it: catalog scalars become `text`,
// catalog arrays become `text[]` (their values parsed into arrays, as the adapter would do for text[]).
// Remove when the adapter learns these types (check the issue before upgrading Prisma).
import pg from 'pg';

const TEXT_OID = 25;
const TEXT_ARRAY_OID = 1009;

/** Catalog scalar types the adapter rejects; their text form is what the schema engine wants. */
export const CATALOG_SCALAR_OIDS: ReadonlySet<number> = new Set([
  18, // "char"
  19, // name
  22, // int2vector
  24, // regproc
  28, // xid
  30, // oidvector
  194, // pg_node_tree
  1033, // aclitem
]);

/** Catalog array types: "char"[] and name[]. */
export const CATALOG_ARRAY_OIDS: ReadonlySet<number> = new Set([1002, 1003]);

// pg's typings only accept scalar builtin OIDs, but pg-types also registers the text[] parser under 1009.
const getTextParser = pg.types.getTypeParser as unknown as (oid: number, format: 'text') => (value: string) => unknown;
const parseTextArray = getTextParser(TEXT_ARRAY_OID, 'text');

type Row = unknown[] | Record<string, unknown>;

/** Rewrites catalog-typed columns of one pg result in place (array or object row mode). Exported for tests. */
export function catalogColumnsAsText<T extends Pick<pg.QueryResult, 'fields' | 'rows'>>(result: T): T {
  if (!result || !Array.isArray(result.fields)) return result;
  result.fields.forEach((field, index) => {
    const isArray = CATALOG_ARRAY_OIDS.has(field.dataTypeID);
    if (!isArray && !CATALOG_SCALAR_OIDS.has(field.dataTypeID)) return;
    field.dataTypeID = isArray ? TEXT_ARRAY_OID : TEXT_OID;
    if (!isArray) return; // scalar values already arrive as strings: pg has no parser for these OIDs
    for (const row of result.rows as Row[]) {
      const key = Array.isArray(row) ? index : field.name;
      const value = (row as Record<string | number, unknown>)[key];
      if (typeof value === 'string') (row as Record<string | number, unknown>)[key] = parseTextArray(value);
    }
  });
  return result;
}

// A multi-statement simple query yields one result per statement.
const rewrite = (result: unknown): unknown => (Array.isArray(result) ? result.map(rewrite) : catalogColumnsAsText(result as pg.QueryResult));

type Callback = (error: Error | null, result?: unknown) => void;
type LooseQuery = (config: unknown, values?: unknown, callback?: Callback) => unknown;

/** Pass as `new pg.Pool({ Client: CatalogTypesAsTextClient, ... })`; the adapter then never sees catalog OIDs. */
export class CatalogTypesAsTextClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    // Assigned rather than overridden: pg's query() has a dozen overloads that a subclass method must all match.
    const query = pg.Client.prototype.query.bind(this) as unknown as LooseQuery;
    const wrapped: LooseQuery = (config, values, callback) => {
      if (typeof values === 'function') return wrapped(config, undefined, values as Callback);
      // Submittables (cursors, streams) manage their own rows; the adapter never uses them.
      if (config && typeof (config as { submit?: unknown }).submit === 'function') return query(config, values, callback);
      if (callback) return query(config, values, (error, result) => callback(error, error ? result : rewrite(result)));
      return (query(config, values) as Promise<unknown>).then(rewrite);
    };
    this.query = wrapped as unknown as pg.Client['query'];
  }
}
