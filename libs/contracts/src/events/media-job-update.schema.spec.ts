import { mediaJobChargeEventId, mediaJobUpdateSchema, uuidV5 } from './media-job-update.schema';

const base = {
  schema: 'media.job-update.v1',
  eventId: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  occurredAt: '2026-11-26T10:00:00.000Z',
  jobId: 'task_abc',
  version: 3,
  kind: 'video',
  progress: 100,
  accountId: '5b0c6d5e-0d6a-4a8e-9d0e-3f1c2a7b9e41',
  apiKeyId: '6c1d7e6f-1e7b-4b9f-8e1f-4a2d3b8c0f52',
  requestId: 'req_1',
  model: 'grok-video-3',
  provider: 'xai-video',
  upstreamModel: 'grok-imagine-video',
} as const;

describe('media job updates', () => {
  it('parses a success with its usage and a failure with its reason', () => {
    expect(mediaJobUpdateSchema.parse({ ...base, status: 'succeeded', usage: { unit: 'second', quantity: 8 } }).usage).toEqual({ unit: 'second', quantity: 8 });
    expect(mediaJobUpdateSchema.parse({ ...base, status: 'failed', progress: 40, failReason: 'x' }).failReason).toBe('x');
  });

  it('refuses a success without usage', () => {
    expect(mediaJobUpdateSchema.safeParse({ ...base, status: 'succeeded' }).success).toBe(false);
  });
});

describe('uuidV5', () => {
  it('matches the RFC 9562 example (DNS namespace, www.example.com)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('derives one charge id per job, different for different jobs', () => {
    expect(mediaJobChargeEventId('task_a')).toBe(mediaJobChargeEventId('task_a'));
    expect(mediaJobChargeEventId('task_a')).not.toBe(mediaJobChargeEventId('task_b'));
    expect(mediaJobChargeEventId('task_a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
