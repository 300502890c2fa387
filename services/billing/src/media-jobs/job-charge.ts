import { ModelCatalog } from '@apitopmix/catalog';
import { mediaJobChargeEventId, MediaJobUpdate, UsageEvent } from '@apitopmix/contracts';
import { chargeFor, UsageCharge } from '../usage/usage-charge';

/**
 * The ledger debit of a job that succeeded: its usage (seconds of video, to the millisecond, or tracks) at the
 * model's price, under the event id derived from the job id (`mediaJobChargeEventId`), so however often the update
 * is published, consumed or replayed, the ledger's unique event id admits one row. The request id is the submit's:
 * the id of the credit reservation the edge took, which this debit settles.
 */
export function chargeForJob(update: MediaJobUpdate, catalog: ModelCatalog): UsageCharge {
  if (update.status !== 'succeeded' || !update.usage) throw new Error(`job update ${update.eventId} (${update.status}) is not a success with usage`);
  const event: UsageEvent = {
    schema: 'usage.v1',
    eventId: mediaJobChargeEventId(update.jobId),
    occurredAt: update.occurredAt,
    requestId: update.requestId,
    accountId: update.accountId,
    apiKeyId: update.apiKeyId,
    model: update.model,
    provider: update.provider,
    upstreamModel: update.upstreamModel,
    inputTokens: 0,
    outputTokens: 0,
    tokensEstimated: false,
    outcome: 'completed',
    streamed: false,
    unit: update.usage.unit,
    quantity: update.usage.quantity,
  };
  return chargeFor(event, catalog);
}
