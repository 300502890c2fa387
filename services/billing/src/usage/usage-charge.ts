import { hasTokenPrice, ModelCatalog, PRICE_TABLE_VERSION, tokenCostMicros } from '@apitopmix/catalog';
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
  inputPriceMicrosPerMTok: number;
  outputPriceMicrosPerMTok: number;
  /** Negative: a debit. */
  amountMicros: bigint;
  occurredAt: string;
}

export function chargeFor(event: UsageEvent, catalog: ModelCatalog): UsageCharge {
  const model = catalog.find(event.model);
  if (!model) throw new Error(`usage event ${event.eventId} names a model missing from price table ${PRICE_TABLE_VERSION}: ${event.model}`);
  if (!hasTokenPrice(model)) throw new Error(`usage event ${event.eventId} counts tokens for ${event.model}, which is not priced per token`);
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
    inputPriceMicrosPerMTok: model.price.inputMicrosPerMTok,
    outputPriceMicrosPerMTok: model.price.outputMicrosPerMTok,
    amountMicros: -tokenCostMicros(model.price, event.inputTokens, event.outputTokens),
    occurredAt: event.occurredAt,
  };
}
