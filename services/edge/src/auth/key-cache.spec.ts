import { KeyCache } from './key-cache';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('KeyCache', () => {
  let clock: number;
  let cache: KeyCache<string>;
  const down = () => Promise.reject(new Error('postgres down'));

  beforeEach(() => {
    clock = 1_000_000;
    cache = new KeyCache<string>({ ttlMs: 2_000, staleLimitMs: 5_000, max: 100, now: () => clock });
  });

  it('reads once, then answers from the entry until the TTL has passed since the read began', async () => {
    const read = jest.fn(async () => 'v1');
    expect(await cache.get('k', read)).toEqual({ value: 'v1', stale: false });
    clock += 1_999;
    expect(await cache.get('k', read)).toEqual({ value: 'v1', stale: false });
    expect(read).toHaveBeenCalledTimes(1);
    clock += 1;
    read.mockResolvedValueOnce('v2');
    expect(await cache.get('k', read)).toEqual({ value: 'v2', stale: false });
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('dates an entry from when its read began, so a slow read does not lengthen its life', async () => {
    const slow = deferred<string>();
    const answer = cache.get('k', () => slow.promise);
    clock += 1_500;
    slow.resolve('v1');
    await answer;
    clock += 499;
    const read = jest.fn(async () => 'v2');
    expect((await cache.get('k', read)).value).toBe('v1');
    clock += 1;
    expect((await cache.get('k', read)).value).toBe('v2');
  });

  it('shares one read between concurrent misses', async () => {
    const slow = deferred<string>();
    const read = jest.fn(() => slow.promise);
    const answers = [cache.get('k', read), cache.get('k', read), cache.get('k', read)];
    slow.resolve('v');
    expect((await Promise.all(answers)).map((a) => a.value)).toEqual(['v', 'v', 'v']);
    expect(read).toHaveBeenCalledTimes(1);
  });

  describe('when a read fails', () => {
    it('answers from the expired entry while it is younger than the stale limit, flagged stale', async () => {
      await cache.get('k', async () => 'v1');
      clock += 4_999;
      expect(await cache.get('k', down)).toEqual({ value: 'v1', stale: true });
    });

    it('never answers from a read that began 5 s ago or more', async () => {
      await cache.get('k', async () => 'v1');
      clock += 5_000;
      await expect(cache.get('k', down)).rejects.toThrow('postgres down');
      clock += 60_000;
      await expect(cache.get('k', down)).rejects.toThrow('postgres down');
    });

    it('measures the stale limit from the last successful read, not from the first failure', async () => {
      await cache.get('k', async () => 'v1');
      clock += 3_000;
      expect((await cache.get('k', down)).stale).toBe(true);
      clock += 1_999;
      expect((await cache.get('k', down)).stale).toBe(true);
      clock += 1;
      await expect(cache.get('k', down)).rejects.toThrow();
    });

    it('fails when there was never an entry', async () => {
      await expect(cache.get('k', down)).rejects.toThrow('postgres down');
    });

    it('does not keep a failed read for the next caller', async () => {
      await expect(cache.get('k', down)).rejects.toThrow();
      expect(await cache.get('k', async () => 'v')).toEqual({ value: 'v', stale: false });
    });
  });

  describe('evict', () => {
    it('forgets the entry: the next call reads, and a failing read has no stale entry to fall back on', async () => {
      await cache.get('k', async () => 'v1');
      cache.evict('k');
      await expect(cache.get('k', down)).rejects.toThrow('postgres down');
      expect(await cache.get('k', async () => 'v2')).toEqual({ value: 'v2', stale: false });
    });

    it('disowns a read in flight: its waiters get its answer but it is not stored, and a new call reads again', async () => {
      const before = deferred<string>();
      const waiting = cache.get('k', () => before.promise);
      cache.evict('k');
      const read = jest.fn(async () => 'revoked');
      const after = cache.get('k', read);
      before.resolve('valid');
      expect((await waiting).value).toBe('valid');
      expect((await after).value).toBe('revoked');
      expect(read).toHaveBeenCalledTimes(1);
      expect((await cache.get('k', async () => 'other')).value).toBe('revoked');
    });

    it('leaves other keys alone', async () => {
      await cache.get('a', async () => 'A');
      await cache.get('b', async () => 'B');
      cache.evict('a');
      expect((await cache.get('b', down)).value).toBe('B');
    });
  });

  it('keeps at most `max` entries', async () => {
    const small = new KeyCache<string>({ ttlMs: 2_000, staleLimitMs: 5_000, max: 2, now: () => clock });
    for (const key of ['a', 'b', 'c']) await small.get(key, async () => key);
    expect(small.size).toBe(2);
  });

  it('refuses a TTL longer than the stale limit', () => {
    expect(() => new KeyCache({ ttlMs: 6_000, staleLimitMs: 5_000, max: 1 })).toThrow(RangeError);
  });
});
