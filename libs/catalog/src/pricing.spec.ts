import { ModelCatalog } from './model-catalog';
import {
  chargeMicros,
  costMicros,
  derivedPrice,
  derivedTrackPrice,
  imageCostMicros,
  musicCostMicros,
  SPEC_DISCOUNT_PERCENT,
  specImagePrice,
  specPrice,
  specSecondPrice,
  tokenCostMicros,
  usdPerMTok,
  usdToMicros,
  videoCostMicros,
} from './pricing';
import { TokenPrice } from './catalog.types';

const catalog = new ModelCatalog();
const tokenPriceOf = (id: string): TokenPrice => {
  const price = catalog.find(id)?.price;
  if (price?.unit !== 'token') throw new Error(`${id} has no token price`);
  return price;
};

describe('prices', () => {
  it('converts USD to integer micro-USD exactly', () => {
    expect(usdToMicros('1.80')).toBe(1_800_000);
    expect(usdToMicros('0.02')).toBe(20_000);
    expect(usdToMicros('0.082')).toBe(82_000);
    expect(usdToMicros('15')).toBe(15_000_000);
    expect(usdToMicros('0.000001')).toBe(1);
    expect(usdPerMTok('0.075')).toBe(75_000);
    expect(() => usdToMicros('1.2345678')).toThrow();
    expect(() => usdToMicros('-1')).toThrow();
    expect(() => usdToMicros('$1')).toThrow();
  });

  it('applies a whole-percent discount to a list price', () => {
    // Claude Sonnet 4.5 lists at $3/$15; 40% off gives $1.80/$9.00.
    expect(derivedPrice('3.00', '15.00', 40, 'test')).toMatchObject({
      unit: 'token',
      inputMicrosPerMTok: 1_800_000,
      outputMicrosPerMTok: 9_000_000,
      source: 'derived',
    });
    // Phi-4-mini lists at $0.075/$0.30; 80% off gives $0.015/$0.06.
    expect(derivedPrice('0.075', '0.30', 80, 'test')).toMatchObject({ inputMicrosPerMTok: 15_000, outputMicrosPerMTok: 60_000 });
    expect(derivedTrackPrice('0.04', 0, 'test')).toMatchObject({ unit: 'track', microsPerTrack: 40_000, source: 'derived' });
    expect(() => derivedPrice('1', '1', 101, 'test')).toThrow();
    expect(() => derivedPrice('1', '1', 12.5, 'test')).toThrow();
  });

  // Vendor list prices (USD per 1M tokens) of models the spec prices, and the family whose reading applies: the
  // readings of the spec's discount notes must reproduce the spec's own rows, or the derived prices are built on sand.
  it.each([
    ['claude-opus-4-6', '5.00', '25.00', SPEC_DISCOUNT_PERCENT.anthropic],
    ['claude-sonnet-4-6', '3.00', '15.00', SPEC_DISCOUNT_PERCENT.anthropic],
    ['claude-haiku-4-5-20251001', '1.00', '5.00', SPEC_DISCOUNT_PERCENT.anthropic],
    ['gemini-3.1-pro-preview', '2.00', '12.00', SPEC_DISCOUNT_PERCENT.google],
    ['gemini-3-flash-preview', '0.50', '3.00', SPEC_DISCOUNT_PERCENT.google],
    ['gemini-3.1-flash-lite-preview', '0.25', '1.50', SPEC_DISCOUNT_PERCENT.google],
    ['moonshotai/kimi-k2.5', '0.60', '3.00', SPEC_DISCOUNT_PERCENT.nvidiaNim],
    ['z-ai/glm5', '1.00', '3.20', SPEC_DISCOUNT_PERCENT.nvidiaNim],
    ['mistralai/mistral-large-3-675b-instruct-2512', '0.50', '1.50', SPEC_DISCOUNT_PERCENT.nvidiaNim],
  ])("the spec's discount reading reproduces its row for %s (list $%s/$%s, %i%% off)", (id, listInput, listOutput, discount) => {
    const spec = tokenPriceOf(id);
    expect(spec.source).toBe('spec');
    const derived = derivedPrice(listInput, listOutput, discount, 'check');
    expect([derived.inputMicrosPerMTok, derived.outputMicrosPerMTok]).toEqual([spec.inputMicrosPerMTok, spec.outputMicrosPerMTok]);
  });
});

describe('charges, in integer micro-USD rounded up once per charge', () => {
  it('tokens: hand-computed amounts', () => {
    const kimi = specPrice('0.12', '0.60');
    // 1,000,000 in + 1,000,000 out = $0.12 + $0.60 = 720,000 micro-USD exactly.
    expect(tokenCostMicros(kimi, 1_000_000, 1_000_000)).toBe(720_000n);
    // 12 in, 9 out: 12*0.12 + 9*0.60 = 6.84 micro-USD -> 7.
    expect(tokenCostMicros(kimi, 12, 9)).toBe(7n);
    // 1 in, 0 out: 0.12 micro-USD -> 1: rounding is up, never to nearest.
    expect(tokenCostMicros(kimi, 1, 0)).toBe(1n);
    // gpt-4.1 at $2/$8: 1,234 in, 567 out = 2,468 + 4,536 = 7,004 micro-USD exactly.
    expect(tokenCostMicros(tokenPriceOf('gpt-4.1'), 1_234, 567)).toBe(7_004n);
    // text-embedding-3-small at $0.02/1M: 9 tokens (the spec's example) = 0.18 micro-USD -> 1.
    expect(tokenCostMicros(tokenPriceOf('text-embedding-3-small'), 9, 0)).toBe(1n);
    // gemini-embedding-001 at 60% of Google's $0.15/1M = $0.09/1M: 100,000 tokens = 9,000 micro-USD.
    expect(tokenCostMicros(tokenPriceOf('gemini-embedding-001'), 100_000, 0)).toBe(9_000n);
    // Rounded once per charge, not per direction: 1 in + 1 out on kimi = 0.72 -> 1, not 1 + 1.
    expect(tokenCostMicros(kimi, 1, 1)).toBe(1n);
    expect(tokenCostMicros(specPrice('0', '0'), 5_000, 5_000)).toBe(0n);
  });

  it('tokens: costMicros is the same function, for existing callers', () => {
    expect(costMicros).toBe(tokenCostMicros);
    expect(costMicros(tokenPriceOf('claude-sonnet-4-6'), 1_000, 500)).toBe(6_300n); // 1,000*1.80 + 500*9.00
  });

  it('tokens: refuses negative or fractional counts', () => {
    const price = specPrice('1', '1');
    expect(() => tokenCostMicros(price, -1, 0)).toThrow(RangeError);
    expect(() => tokenCostMicros(price, 0, 1.5)).toThrow(RangeError);
  });

  it('images: the per-image price times n', () => {
    const nanoBanana = specImagePrice('0.082');
    expect(imageCostMicros(nanoBanana, 1)).toBe(82_000n);
    expect(imageCostMicros(nanoBanana, 4)).toBe(328_000n);
    expect(imageCostMicros(nanoBanana, 0)).toBe(0n);
    expect(() => imageCostMicros(nanoBanana, -1)).toThrow(RangeError);
    expect(() => imageCostMicros(nanoBanana, 1.5)).toThrow(RangeError);
  });

  it('video: per second, to the millisecond, rounded up', () => {
    const grok = specSecondPrice('0.030');
    expect(videoCostMicros(grok, 8)).toBe(240_000n);
    expect(videoCostMicros(grok, 8.5)).toBe(255_000n);
    // A price that does not divide into milliseconds: 1,234 micro-USD/s for 1 ms = 1.234 -> 2; for 0.5 s = 617 exactly.
    const odd = specSecondPrice('0.001234');
    expect(videoCostMicros(odd, 0.001)).toBe(2n);
    expect(videoCostMicros(odd, 0.5)).toBe(617n);
    expect(() => videoCostMicros(grok, -1)).toThrow(RangeError);
    expect(() => videoCostMicros(grok, Number.NaN)).toThrow(RangeError);
  });

  it('music: per track delivered', () => {
    const suno = derivedTrackPrice('0.04', 0, 'test');
    expect(musicCostMicros(suno, 2)).toBe(80_000n);
    expect(() => musicCostMicros(suno, -2)).toThrow(RangeError);
  });

  it('dispatches on the unit, and refuses usage in another unit', () => {
    expect(chargeMicros(specPrice('0.12', '0.60'), { unit: 'token', inputTokens: 12, outputTokens: 9 })).toBe(7n);
    expect(chargeMicros(specImagePrice('0.082'), { unit: 'image', images: 2 })).toBe(164_000n);
    expect(chargeMicros(specSecondPrice('0.030'), { unit: 'second', seconds: 5 })).toBe(150_000n);
    expect(chargeMicros(derivedTrackPrice('0.04', 0, 'test'), { unit: 'track', tracks: 1 })).toBe(40_000n);
    expect(() => chargeMicros(specImagePrice('0.082'), { unit: 'token', inputTokens: 1, outputTokens: 1 })).toThrow(/per-image/);
  });
});
