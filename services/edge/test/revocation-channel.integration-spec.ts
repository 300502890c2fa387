// The revocation channel against the real Redis that `npm test` starts: delivery to every subscriber, and a
// subscription that survives its connection being killed.
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { createRedis } from '@apitopmix/platform/redis';
import { RedisRevocationChannel } from '../src/auth/revocation-channel';

const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:56379';
const logger = pino({ level: 'silent' });

async function waitFor<T>(check: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, intervalMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

describe('RedisRevocationChannel (integration)', () => {
  const channelName = `apitopmix:test:${randomBytes(4).toString('hex')}:keys:revoked`;
  const channels: RedisRevocationChannel[] = [];
  const open = () => {
    const channel = new RedisRevocationChannel(REDIS_URL, channelName, logger);
    channels.push(channel);
    const received: string[] = [];
    channel.onMessage((hash) => received.push(hash));
    return { channel, received };
  };

  afterAll(async () => {
    await Promise.all(channels.map((c) => c.close()));
  });

  it('delivers a published hash to every subscriber, the publisher included', async () => {
    const a = open();
    const b = open();
    await waitFor(async () => a.channel.subscribed && b.channel.subscribed, Boolean, 5_000);
    await waitFor(
      async () => numberOfSubscribers(channelName),
      (n) => n >= 2,
      5_000,
    );
    const hash = randomBytes(32).toString('hex');
    await a.channel.publish(hash);
    await waitFor(
      async () => [a.received, b.received],
      ([x, y]) => x.includes(hash) && y.includes(hash),
      2_000,
    );
  });

  it('subscribes again after its connection is killed', async () => {
    const admin = createRedis(REDIS_URL, { commandTimeoutMs: 1_000 });
    try {
      await waitFor(
        async () => admin.status,
        (s) => s === 'ready',
        5_000,
      );
      const before = await subscriberIds(admin);
      const a = open();
      await waitFor(async () => a.channel.subscribed, Boolean, 5_000);
      // Only this test's subscriber: the Redis is shared with other runs.
      const ours = (await subscriberIds(admin)).filter((id) => !before.includes(id));
      expect(ours).toHaveLength(1);
      expect(await admin.call('CLIENT', 'KILL', 'ID', ours[0])).toBe(1);
      await waitFor(
        async () => subscriberIds(admin),
        (ids) => !ids.includes(ours[0]),
        2_000,
      );
      const hash = randomBytes(32).toString('hex');
      // Published until it arrives: messages sent while the subscriber was away are lost by design.
      await waitFor(
        async () => {
          await a.channel.publish(hash).catch(() => undefined);
          return a.received;
        },
        (received) => received.includes(hash),
        5_000,
        100,
      );
    } finally {
      admin.disconnect();
    }
  });

  it('rejects a publish when Redis cannot be reached', async () => {
    const channel = new RedisRevocationChannel('redis://127.0.0.1:1', channelName, logger);
    channels.push(channel);
    await expect(channel.publish('00')).rejects.toThrow();
  });

  async function subscriberIds(admin: ReturnType<typeof createRedis>): Promise<string[]> {
    const list = (await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
    return list
      .split('\n')
      .filter((line) => line.includes('name=edge-revocations-subscribe'))
      .map((line) => /\bid=(\d+)/.exec(line)![1]);
  }

  async function numberOfSubscribers(name: string): Promise<number> {
    const admin = createRedis(REDIS_URL, { commandTimeoutMs: 1_000 });
    try {
      await waitFor(
        async () => admin.status,
        (s) => s === 'ready',
        5_000,
      );
      const [, count] = (await admin.call('PUBSUB', 'NUMSUB', name)) as [string, number];
      return Number(count);
    } finally {
      admin.disconnect();
    }
  }
});
