import { chargeMicros, hasTokenPrice, ModelCatalog, PRICE_TABLE_VERSION, Usage } from '@apitopmix/catalog';
import { UsageEvent } from '@apitopmix/contracts';

/** One ledger debit, priced from the versioned price table; the price used travels with the row. */
export interface UsageCharge {
  eventId: string;
  accountId: string;
  apiKeyId: string;
  requestId: string;
  model: string;
  provider: string;
  inputTokens: number;
  outputTokens: number;
  tokensEstimated: boolean;
  priceVersion: string;
  /** Token-priced models: the two prices used (micro-USD per million tokens); null for media. */
  inputPriceMicrosPerMTok: number | null;
  outputPriceMicrosPerMTok: number | null;
  /** What was charged: 'token', or the media unit with its quantity and the price per unit used. */
  unit: Usage['unit'];
  /** Images or tracks delivered, or milliseconds of video; null for tokens. */
  quantity: number | null;
  unitPriceMicros: number | null;
  /** Negative: a debit. */
  amountMicros: bigint;
  occurredAt: string;
}

export function chargeFor(event: UsageEvent, catalog: ModelCatalog): UsageCharge {
  const model = catalog.find(event.model);
  if (!model) throw new Error(`usage event ${event.eventId} names a model missing from price table ${PRICE_TABLE_VERSION}: ${event.model}`);
  const usage = usageOf(event);
  // chargeMicros refuses usage counted in another unit than the model's price.
  const amount = chargeMicros(model.price, usage);
  const token = hasTokenPrice(model);
  const quantity =
    usage.unit === 'image' ? usage.images : usage.unit === 'track' ? usage.tracks : usage.unit === 'second' ? Math.round(usage.seconds * 1000) : null;
  const price = model.price;
  return {
    eventId: event.eventId,
    accountId: event.accountId,
    apiKeyId: event.apiKeyId,
    requestId: event.requestId,
    model: event.model,
    provider: event.provider,
    inputTokens: event.inputTokens,
    outputTokens: event.outputTokens,
    tokensEstimated: event.tokensEstimated,
    priceVersion: PRICE_TABLE_VERSION,
    inputPriceMicrosPerMTok: token ? model.price.inputMicrosPerMTok : null,
    outputPriceMicrosPerMTok: token ? model.price.outputMicrosPerMTok : null,
    unit: usage.unit,
    quantity,
    unitPriceMicros:
      price.unit === 'image' ? price.microsPerImage : price.unit === 'second' ? price.microsPerSecond : price.unit === 'track' ? price.microsPerTrack : null,
    amountMicros: -amount,
    occurredAt: event.occurredAt,
  };
}

function usageOf(event: UsageEvent): Usage {
  if ((event.unit ?? 'token') === 'token') return { unit: 'token', inputTokens: event.inputTokens, outputTokens: event.outputTokens };
  if (event.quantity === undefined) throw new Error(`usage event ${event.eventId} counts ${event.unit}s without a quantity`);
  if (event.unit === 'image') return { unit: 'image', images: event.quantity };
  if (event.unit === 'track') return { unit: 'track', tracks: event.quantity };
  return { unit: 'second', seconds: event.quantity };
}
