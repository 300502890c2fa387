import { pino } from 'pino';
import type { MediaStore } from './media-store';
import { MediaSweeper } from './media-sweeper';

const logger = pino({ enabled: false });

function store(batches: (number | Error)[]): MediaStore & { calls: Date[] } {
  const calls: Date[] = [];
  return {
    calls,
    put: async () => 'id',
    get: async () => undefined,
    deleteExpired: async (now: Date) => {
      calls.push(now);
      const next = batches.shift() ?? 0;
      if (next instanceof Error) throw next;
      return next;
    },
  };
}

describe('MediaSweeper', () => {
  const now = new Date('2026-11-25T12:00:00Z');

  it('deletes in batches until one comes back short, all as of one instant', async () => {
    const s = store([500, 500, 12, 999]);
    const sweeper = new MediaSweeper(s, logger, { intervalMs: 60_000, batchSize: 500, now: () => now });
    expect(await sweeper.sweep()).toBe(1012);
    expect(s.calls).toEqual([now, now, now]);
  });

  it('survives a failing store and tries again next time', async () => {
    const s = store([new Error('connection refused'), 3]);
    const sweeper = new MediaSweeper(s, logger, { intervalMs: 60_000, batchSize: 500, now: () => now });
    expect(await sweeper.sweep()).toBe(0);
    expect(await sweeper.sweep()).toBe(3);
  });

  it('never runs two sweeps at once', async () => {
    const s = store([1]);
    const sweeper = new MediaSweeper(s, logger, { intervalMs: 60_000, batchSize: 500, now: () => now });
    const [a, b] = [sweeper.sweep(), sweeper.sweep()];
    expect(a).toBe(b);
    await a;
    expect(s.calls).toHaveLength(1);
  });

  it('sweeps on its interval until stopped', async () => {
    jest.useFakeTimers();
    try {
      const s = store([]);
      const sweeper = new MediaSweeper(s, logger, { intervalMs: 1_000, batchSize: 500 });
      sweeper.start();
      await jest.advanceTimersByTimeAsync(3_000);
      expect(s.calls).toHaveLength(3);
      await sweeper.stop();
      await jest.advanceTimersByTimeAsync(3_000);
      expect(s.calls).toHaveLength(3);
    } finally {
      jest.useRealTimers();
    }
  });
});
