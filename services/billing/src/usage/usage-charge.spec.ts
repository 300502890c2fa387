import { randomUUID } from 'node:crypto';
import { ModelCatalog, PRICE_TABLE_VERSION } from '@apitopmix/catalog';
import { UsageEvent, usageEventSchema } from '@apitopmix/contracts';
import { chargeFor } from './usage-charge';

const catalog = new ModelCatalog();

function event(fields: Partial<UsageEvent>): UsageEvent {
  return usageEventSchema.parse({
    schema: 'usage.v1',
    eventId: randomUUID(),
    occurredAt: '2026-11-25T10:00:00.000Z',
    requestId: 'req_1',
    accountId: randomUUID(),
    apiKeyId: randomUUID(),
    provider: 'p',
    upstreamModel: 'u',
    inputTokens: 0,
    outputTokens: 0,
    tokensEstimated: false,
    outcome: 'completed',
    streamed: false,
    ...fields,
  });
}

const priceOf = (id: string) => catalog.find(id)!.price as unknown as Record<string, number>;

describe('chargeFor', () => {
  it('charges tokens at the model’s two prices and stores them (an event without a unit counts tokens)', () => {
    const charge = chargeFor(event({ model: 'gpt-4.1', inputTokens: 1_000_000, outputTokens: 500_000 }), catalog);
    const price = priceOf('gpt-4.1');
    expect(charge).toMatchObject({ unit: 'token', quantity: null, unitPriceMicros: null, priceVersion: PRICE_TABLE_VERSION });
    expect(charge.amountMicros).toBe(-BigInt(price.inputMicrosPerMTok + price.outputMicrosPerMTok / 2));
  });

  it('charges images delivered at the price per image, stored with the row', () => {
    const charge = chargeFor(event({ model: 'nano-banana-2', unit: 'image', quantity: 3 }), catalog);
    const { microsPerImage } = priceOf('nano-banana-2');
    expect(charge).toMatchObject({ unit: 'image', quantity: 3, unitPriceMicros: microsPerImage, inputPriceMicrosPerMTok: null });
    expect(charge.amountMicros).toBe(-3n * BigInt(microsPerImage));
  });

  it('charges video by the second to the millisecond ($0.030 per second for grok-video-3)', () => {
    const charge = chargeFor(event({ model: 'grok-video-3', unit: 'second', quantity: 8 }), catalog);
    expect(charge).toMatchObject({ unit: 'second', quantity: 8_000, unitPriceMicros: 30_000 });
    expect(charge.amountMicros).toBe(-240_000n);
  });

  it('charges music per track', () => {
    const charge = chargeFor(event({ model: 'suno-v5', unit: 'track', quantity: 2 }), catalog);
    const { microsPerTrack } = priceOf('suno-v5');
    expect(charge).toMatchObject({ unit: 'track', quantity: 2, unitPriceMicros: microsPerTrack });
    expect(charge.amountMicros).toBe(-2n * BigInt(microsPerTrack));
  });

  it('refuses usage in another unit than the model’s price, or media without a quantity', () => {
    expect(() => chargeFor(event({ model: 'gpt-4.1', unit: 'image', quantity: 1 }), catalog)).toThrow(/cannot be charged/);
    expect(() => chargeFor(event({ model: 'nano-banana-2', unit: 'image' }), catalog)).toThrow(/without a quantity/);
  });
});
