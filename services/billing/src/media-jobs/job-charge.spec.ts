import { ModelCatalog } from '@apitopmix/catalog';
import { mediaJobChargeEventId, MediaJobUpdate } from '@apitopmix/contracts';
import { chargeForJob } from './job-charge';

const catalog = new ModelCatalog();

const update = (over: Partial<MediaJobUpdate>): MediaJobUpdate => ({
  schema: 'media.job-update.v1',
  eventId: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  occurredAt: '2026-11-26T10:00:00.000Z',
  jobId: 'task_abc',
  version: 4,
  kind: 'video',
  status: 'succeeded',
  progress: 100,
  accountId: '5b0c6d5e-0d6a-4a8e-9d0e-3f1c2a7b9e41',
  apiKeyId: '6c1d7e6f-1e7b-4b9f-8e1f-4a2d3b8c0f52',
  requestId: 'req_1',
  model: 'grok-video-3',
  provider: 'xai-video',
  upstreamModel: 'grok-imagine-video',
  usage: { unit: 'second', quantity: 8 },
  ...over,
});

describe('chargeForJob', () => {
  it('charges a video per second at $0.030: 8 s is 8,000 ms and $0.24', () => {
    const charge = chargeForJob(update({}), catalog);
    expect(charge).toMatchObject({
      eventId: mediaJobChargeEventId('task_abc'),
      requestId: 'req_1',
      model: 'grok-video-3',
      unit: 'second',
      quantity: 8_000,
      unitPriceMicros: 30_000,
      amountMicros: -240_000n,
      inputTokens: 0,
      outputTokens: 0,
    });
  });

  it('charges music per track', () => {
    const charge = chargeForJob(
      update({ kind: 'music', model: 'suno-v5', provider: 'suno', upstreamModel: 'chirp-crow', usage: { unit: 'track', quantity: 2 } }),
      catalog,
    );
    expect(charge).toMatchObject({ unit: 'track', quantity: 2, unitPriceMicros: 40_000, amountMicros: -80_000n });
  });

  it('uses one ledger id per job, whichever event announced the success', () => {
    const a = chargeForJob(update({ eventId: '11111111-1111-4111-8111-111111111111' }), catalog);
    const b = chargeForJob(update({ eventId: '22222222-2222-4222-8222-222222222222' }), catalog);
    expect(a.eventId).toBe(b.eventId);
    expect(chargeForJob(update({ jobId: 'task_other' }), catalog).eventId).not.toBe(a.eventId);
  });

  it('refuses anything but a success with usage', () => {
    expect(() => chargeForJob(update({ status: 'failed', usage: undefined }), catalog)).toThrow(/not a success/);
  });
});
