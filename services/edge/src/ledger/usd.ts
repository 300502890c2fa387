// Money crosses the edge as strings: integer micro-USD for machines, decimal USD for people. Conversions are string
// arithmetic on bigints, so "12.345678" is exactly 12345678 micro-USD and never passes through a float.

const MICROS_PER_USD = 1_000_000n;
const USD = /^(\d{1,12})(?:\.(\d{1,6}))?$/;

/** "12.345678", "5", "0.5" → micro-USD; undefined for anything else (signs, exponents, more than six decimals). */
export function parseUsd(value: string): bigint | undefined {
  const match = USD.exec(value);
  if (!match) return undefined;
  return BigInt(match[1]) * MICROS_PER_USD + BigInt((match[2] ?? '').padEnd(6, '0'));
}

/** Micro-USD → USD with two to six decimals: 100000000n → "100.00", 780n → "0.00078", -1500000n → "-1.50". */
export function formatUsd(micros: bigint): string {
  const sign = micros < 0n ? '-' : '';
  const magnitude = micros < 0n ? -micros : micros;
  const fraction = (magnitude % MICROS_PER_USD)
    .toString()
    .padStart(6, '0')
    .replace(/0{1,4}$/, '');
  return `${sign}${magnitude / MICROS_PER_USD}.${fraction.padEnd(2, '0')}`;
}

/** The two spellings of an amount that every response carries. */
export interface Money {
  usd: string;
  micros: string;
}

export const money = (micros: bigint): Money => ({ usd: formatUsd(micros), micros: micros.toString() });
