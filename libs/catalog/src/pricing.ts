import { ImagePrice, ModelEntry, Price, SecondPrice, TokenPrice, TrackPrice } from './catalog.types';

/**
 * The price table's version, stored on every ledger row with the prices used. Change it whenever any price in
 * models/ changes, so every charge can be traced to the table that produced it.
 */
export const PRICE_TABLE_VERSION = '2026-11-25.3';

/**
 * The discount, in whole percent off the vendor's list price, that the spec's own rows show for each family. The
 * spec's notes give the fraction *paid*, in the Chinese "n折" convention, though they read as a discount:
 * - "Anthropic Claude (Official 60% off)": every row is 60% of Anthropic's list (Opus 4.6 $5/$25 → $3/$15,
 *   Sonnet 4.6 $3/$15 → $1.80/$9, Haiku 4.5 $1/$5 → $0.60/$3): 40% off.
 * - "Google Gemini (Official 60% off)": 3.1 Pro $2/$12 → $1.20/$7.20, 3 Flash $0.50/$3 → $0.30/$1.80,
 *   3.1 Flash-Lite $0.25/$1.50 → $0.15/$0.90: 40% off.
 * - "NVIDIA NIM Models (Official 20% off / Free)": Kimi K2.5 $0.60/$3 → $0.12/$0.60, GLM-5 $1/$3.20 →
 *   $0.20/$0.64, Mistral Large 3 $0.50/$1.50 → $0.10/$0.30: 20% of list, 80% off.
 * - OpenAI and DeepSeek's own API: the spec states no discount, so list price.
 * pricing.spec.ts checks these readings against the spec's rows.
 */
export const SPEC_DISCOUNT_PERCENT = { anthropic: 40, google: 40, nvidiaNim: 80, openai: 0, deepseek: 0 } as const;

/** USD with at most six decimals → integer micro-USD, exactly (no float arithmetic on the result). */
export function usdToMicros(usd: string): number {
  const match = /^(\d+)(?:\.(\d{1,6}))?$/.exec(usd);
  if (!match) throw new Error(`not a USD amount with at most 6 decimals: ${usd}`);
  return Number(match[1]) * 1_000_000 + Number((match[2] ?? '').padEnd(6, '0'));
}

/** USD per million tokens → integer micro-USD per million tokens. */
export const usdPerMTok = usdToMicros;

export const free: TokenPrice = { unit: 'token', inputMicrosPerMTok: 0, outputMicrosPerMTok: 0, source: 'spec' };

export function specPrice(input: string, output: string, basis?: string): TokenPrice {
  return { unit: 'token', inputMicrosPerMTok: usdPerMTok(input), outputMicrosPerMTok: usdPerMTok(output), source: 'spec', ...(basis ? { basis } : {}) };
}

/** A list price in USD less a whole-percent discount, rounded to the micro-dollar. */
function discounted(listUsd: string, discountPercent: number): number {
  if (!Number.isInteger(discountPercent) || discountPercent < 0 || discountPercent > 100) throw new Error(`not a whole-percent discount: ${discountPercent}`);
  return Math.round((usdToMicros(listUsd) * (100 - discountPercent)) / 100);
}

/** A vendor list price per million tokens with a discount in whole percent, rounded to the micro-dollar per million tokens. */
export function derivedPrice(listInput: string, listOutput: string, discountPercent: number, basis: string): TokenPrice {
  return {
    unit: 'token',
    inputMicrosPerMTok: discounted(listInput, discountPercent),
    outputMicrosPerMTok: discounted(listOutput, discountPercent),
    source: 'derived',
    basis,
  };
}

export function specImagePrice(usdPerImage: string, basis?: string): ImagePrice {
  return { unit: 'image', microsPerImage: usdToMicros(usdPerImage), source: 'spec', ...(basis ? { basis } : {}) };
}

export function specSecondPrice(usdPerSecond: string, basis?: string): SecondPrice {
  return { unit: 'second', microsPerSecond: usdToMicros(usdPerSecond), source: 'spec', ...(basis ? { basis } : {}) };
}

export function derivedTrackPrice(listUsdPerTrack: string, discountPercent: number, basis: string): TrackPrice {
  return { unit: 'track', microsPerTrack: discounted(listUsdPerTrack, discountPercent), source: 'derived', basis };
}

/*
 * Charging. Every function returns integer micro-USD as a bigint, rounded up to the whole micro-dollar once per
 * charge: the customer is never charged more than a micro-dollar above the exact price, and the ledger never holds
 * fractions. Quantities must be non-negative; counts must be whole.
 */

function count(name: string, n: number): bigint {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be a non-negative whole number, got ${n}`);
  return BigInt(n);
}

/** A chat or embedding call: input and output tokens at a per-million-token price. */
export function tokenCostMicros(price: TokenPrice, inputTokens: number, outputTokens: number): bigint {
  const exact = count('inputTokens', inputTokens) * BigInt(price.inputMicrosPerMTok) + count('outputTokens', outputTokens) * BigInt(price.outputMicrosPerMTok);
  return (exact + 999_999n) / 1_000_000n;
}

/** The cost of a call in integer micro-USD at a token price. Kept for existing callers: the same as `tokenCostMicros`. */
export const costMicros = tokenCostMicros;

/** `images` images generated (failed generations are not charged: pass only those delivered). */
export function imageCostMicros(price: ImagePrice, images: number): bigint {
  return count('images', images) * BigInt(price.microsPerImage);
}

/**
 * A video of `seconds` seconds. Durations are measured to the millisecond; the money is rounded up once, so a price
 * that does not divide evenly into milliseconds still yields whole micro-dollars.
 */
export function videoCostMicros(price: SecondPrice, seconds: number): bigint {
  if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`seconds must be a non-negative number, got ${seconds}`);
  const millis = count('milliseconds', Math.round(seconds * 1000));
  return (millis * BigInt(price.microsPerSecond) + 999n) / 1000n;
}

/** `tracks` music tracks delivered (a Suno generation usually returns two). */
export function musicCostMicros(price: TrackPrice, tracks: number): bigint {
  return count('tracks', tracks) * BigInt(price.microsPerTrack);
}

/** What was used, in the unit the model is priced in. */
export type Usage =
  | { unit: 'token'; inputTokens: number; outputTokens: number }
  | { unit: 'image'; images: number }
  | { unit: 'second'; seconds: number }
  | { unit: 'track'; tracks: number };

/** The charge for any model's usage; refuses usage measured in another unit than the price. */
export function chargeMicros(price: Price, usage: Usage): bigint {
  if (price.unit !== usage.unit) throw new Error(`usage in ${usage.unit}s cannot be charged at a per-${price.unit} price`);
  switch (usage.unit) {
    case 'token':
      return tokenCostMicros(price as TokenPrice, usage.inputTokens, usage.outputTokens);
    case 'image':
      return imageCostMicros(price as ImagePrice, usage.images);
    case 'second':
      return videoCostMicros(price as SecondPrice, usage.seconds);
    case 'track':
      return musicCostMicros(price as TrackPrice, usage.tracks);
  }
}

/** Narrows a catalog entry to one priced per token (chat and embedding models). */
export function hasTokenPrice<M extends ModelEntry>(model: M): model is M & { price: TokenPrice } {
  return model.price.unit === 'token';
}
