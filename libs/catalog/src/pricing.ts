import { TokenPrice } from './catalog.types';

/**
 * The price table's version, stored on every ledger row with the prices used. Change it whenever any price in
 * models.ts changes, so every charge can be traced to the table that produced it.
 */
export const PRICE_TABLE_VERSION = '2026-11-25.1';

/** USD per million tokens → integer micro-USD per million tokens, exactly (no float arithmetic on the result). */
export function usdPerMTok(usd: string): number {
  const match = /^(\d+)(?:\.(\d{1,6}))?$/.exec(usd);
  if (!match) throw new Error(`not a USD amount with at most 6 decimals: ${usd}`);
  return Number(match[1]) * 1_000_000 + Number((match[2] ?? '').padEnd(6, '0'));
}

export const free: TokenPrice = { inputMicrosPerMTok: 0, outputMicrosPerMTok: 0, source: 'spec' };

export function specPrice(input: string, output: string): TokenPrice {
  return { inputMicrosPerMTok: usdPerMTok(input), outputMicrosPerMTok: usdPerMTok(output), source: 'spec' };
}

/** A vendor list price with a discount in whole percent, rounded to the micro-dollar per million tokens. */
export function derivedPrice(listInput: string, listOutput: string, discountPercent: number, basis: string): TokenPrice {
  const apply = (usd: string) => Math.round((usdPerMTok(usd) * (100 - discountPercent)) / 100);
  return { inputMicrosPerMTok: apply(listInput), outputMicrosPerMTok: apply(listOutput), source: 'derived', basis };
}

/**
 * The cost of a call in integer micro-USD. Rounded up to the whole micro-dollar, once per call: the customer is
 * never charged more than a micro-dollar above the exact price, and the ledger never holds fractions.
 */
export function costMicros(price: TokenPrice, inputTokens: number, outputTokens: number): bigint {
  const exact = BigInt(inputTokens) * BigInt(price.inputMicrosPerMTok) + BigInt(outputTokens) * BigInt(price.outputMicrosPerMTok);
  return (exact + 999_999n) / 1_000_000n;
}
