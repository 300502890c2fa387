import type { Logger } from 'pino';
import { createRedis, Redis } from '@apitopmix/platform/redis';

/** Where revoked key hashes are announced to every edge. */
export interface RevocationChannel {
  /** Resolves once the message has been handed to the broker; rejects when it could not be. */
  publish(keyHash: string): Promise<void>;
  /** Called for every announcement, from any edge (this one included). */
  onMessage(listener: (keyHash: string) => void): void;
  close(): Promise<void>;
}

export const REVOCATION_CHANNEL = Symbol('REVOCATION_CHANNEL');

/**
 * Redis pub/sub, on two connections (a subscribed connection can do nothing else). Both fail fast and reconnect in
 * the background; the subscription is renewed on every reconnect. Messages sent while this edge was disconnected
 * are lost: the key cache's expiry (KEY_CACHE_TTL_MS) is the backstop for those.
 */
export class RedisRevocationChannel implements RevocationChannel {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly listeners: ((keyHash: string) => void)[] = [];
  private lastWarning = 0;

  constructor(
    url: string,
    private readonly channel: string,
    private readonly logger: Logger,
  ) {
    this.publisher = createRedis(url, { name: 'edge-revocations-publish', commandTimeoutMs: 1_000 });
    this.subscriber = createRedis(url, { name: 'edge-revocations-subscribe', commandTimeoutMs: 1_000 });
    for (const connection of [this.publisher, this.subscriber]) connection.on('error', (error: Error) => this.warn(error));
    this.subscriber.on('ready', () => {
      this.subscriber.subscribe(this.channel).catch((error: Error) => this.warn(error));
    });
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      for (const listener of this.listeners) listener(message);
    });
  }

  async publish(keyHash: string): Promise<void> {
    await this.publisher.publish(this.channel, keyHash);
  }

  onMessage(listener: (keyHash: string) => void): void {
    this.listeners.push(listener);
  }

  /** Whether this edge is subscribed right now (tests wait for it). */
  get subscribed(): boolean {
    return this.subscriber.status === 'ready';
  }

  async close(): Promise<void> {
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }

  private warn(error: Error): void {
    if (Date.now() - this.lastWarning < 10_000) return;
    this.lastWarning = Date.now();
    this.logger.warn({ err: error.message }, 'key revocation channel: Redis unavailable (revocations then reach this edge by cache expiry)');
  }
}
