// Field checks shared by billing's account-facing RPCs: ids are UUIDs (Postgres would refuse anything else with an
// internal error), money is an integer decimal string.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/** An integer decimal string (optionally negative) as a bigint; undefined for anything else. */
export function parseMicros(value: string): bigint | undefined {
  return /^-?(0|[1-9][0-9]{0,18})$/.test(value) ? BigInt(value) : undefined;
}
