import { LRUCache } from 'lru-cache';

export interface KeyCacheOptions {
  /** How long an answer is used without asking again, from the moment its read began. */
  ttlMs: number;
  /**
   * How long after its read began an answer may still be used when a new read fails. This is the revocation bound:
   * nothing is ever answered from a read that began longer ago.
   */
  staleLimitMs: number;
  max: number;
  now?: () => number;
}

export interface CachedAnswer<V> {
  value: V;
  /** True when the answer came from an expired entry because the read failed. */
  stale: boolean;
}

interface Entry<V> {
  value: V;
  /** When the read that produced it began (its database snapshot is no older). */
  readAt: number;
}

/**
 * A read-through cache whose every answer has a bounded age, measured from when its read *began*: a slow read cannot
 * stretch an entry's life. Concurrent misses share one read. `evict` drops an entry and disowns a read in flight
 * (its result, possibly older than the eviction's reason, is handed to those already waiting but not stored).
 */
export class KeyCache<V> {
  private readonly entries: LRUCache<string, Entry<V>>;
  private readonly inflight = new Map<string, Promise<V>>();
  private readonly now: () => number;

  constructor(private readonly options: KeyCacheOptions) {
    if (options.ttlMs > options.staleLimitMs) throw new RangeError('KeyCache: ttlMs must not exceed staleLimitMs');
    this.entries = new LRUCache<string, Entry<V>>({ max: options.max });
    this.now = options.now ?? Date.now;
  }

  async get(key: string, read: (key: string) => Promise<V>): Promise<CachedAnswer<V>> {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.readAt < this.options.ttlMs) return { value: entry.value, stale: false };
    try {
      return { value: await this.read(key, read), stale: false };
    } catch (error) {
      // Looked up again: an eviction while the read was failing must not be undone by the fallback.
      const fallback = this.entries.get(key);
      if (fallback && this.now() - fallback.readAt < this.options.staleLimitMs) return { value: fallback.value, stale: true };
      throw error;
    }
  }

  evict(key: string): void {
    this.entries.delete(key);
    this.inflight.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private read(key: string, read: (key: string) => Promise<V>): Promise<V> {
    const running = this.inflight.get(key);
    if (running) return running;
    const readAt = this.now();
    const pending: Promise<V> = read(key).then(
      (value) => {
        if (this.inflight.get(key) === pending) {
          this.inflight.delete(key);
          this.entries.set(key, { value, readAt });
        }
        return value;
      },
      (error: unknown) => {
        if (this.inflight.get(key) === pending) this.inflight.delete(key);
        throw error;
      },
    );
    this.inflight.set(key, pending);
    return pending;
  }
}
