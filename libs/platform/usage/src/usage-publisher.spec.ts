import pino from 'pino';
import { usageEventSchema } from '@apitopmix/contracts';
import type { OutgoingMessage } from '@apitopmix/platform/kafka';
import { UsagePublisher } from './usage-publisher';

const caller = { requestId: 'req_1', accountId: '5b0c6d5e-0d6a-4a8e-9d0e-3f1c2a7b9e41', apiKeyId: '0f0c6d5e-0d6a-4a8e-9d0e-3f1c2a7b9e42', tier: 3 };
const facts = {
  caller,
  model: 'text-embedding-3-small',
  provider: 'openai',
  upstreamModel: 'text-embedding-3-small',
  inputTokens: 9,
  outputTokens: 0,
  tokensEstimated: false,
  outcome: 'completed' as const,
  streamed: false,
};

describe('UsagePublisher', () => {
  it('queues one valid usage.v1 event per call, keyed by account, on the prefixed topic, in tokens unless told otherwise', () => {
    const sent: OutgoingMessage[] = [];
    const publisher = new UsagePublisher({ enqueue: (message) => (sent.push(message), true) }, 'test.', pino({ enabled: false }));

    const first = publisher.publish(facts);
    const second = publisher.publish({ ...facts, unit: 'image', quantity: 2 });

    expect(sent.map((m) => [m.topic, m.key])).toEqual([
      ['test.usage.events.v1', caller.accountId],
      ['test.usage.events.v1', caller.accountId],
    ]);
    const parsed = usageEventSchema.parse(JSON.parse(String(sent[0].value)));
    expect(parsed).toMatchObject({ requestId: 'req_1', apiKeyId: caller.apiKeyId, model: 'text-embedding-3-small', inputTokens: 9, unit: 'token' });
    expect(JSON.parse(String(sent[1].value))).toMatchObject({ unit: 'image', quantity: 2 });
    expect(first.eventId).not.toBe(second.eventId);
  });

  it('logs an event the queue refused, without its content', () => {
    const lines: string[] = [];
    const logger = pino({}, { write: (line: string) => lines.push(line) });
    new UsagePublisher({ enqueue: () => false }, '', logger).publish(facts);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('usage queue full');
    expect(lines[0]).not.toContain('text-embedding-3-small');
  });
});
