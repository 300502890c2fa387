import { Inject, Injectable, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { Counter } from '@apitopmix/platform/metrics';
import { LOGGER, METRICS } from '@apitopmix/platform/nest';
import { AuthService } from './auth.service';
import { REVOCATION_CHANNEL, RevocationChannel } from './revocation-channel';

const KEY_HASH = /^[0-9a-f]{64}$/;

/**
 * Revocation reaching every edge at once: the edge that revokes evicts the key here and announces its hash; every
 * edge (listening on the channel) evicts it on arrival. Without a channel, or when a message is lost, the key cache's
 * own bounds still stop the key within 5 s (see AuthService).
 */
@Injectable()
export class KeyRevocationService implements OnModuleInit, OnApplicationShutdown {
  private readonly received: Counter;

  constructor(
    private readonly auth: AuthService,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) metrics: Registry,
    @Optional() @Inject(REVOCATION_CHANNEL) private readonly channel?: RevocationChannel,
  ) {
    this.received = new Counter({
      name: 'edge_key_revocations_received_total',
      help: 'Revoked key hashes received on the revocation channel and evicted from the key cache',
      registers: [metrics],
    });
  }

  onModuleInit(): void {
    if (!this.channel) {
      this.logger.warn('REDIS_URL is not set: other edges learn of revocations only by cache expiry (KEY_CACHE_TTL_MS)');
      return;
    }
    this.channel.onMessage((keyHash) => {
      if (!KEY_HASH.test(keyHash)) return;
      this.auth.forget(keyHash);
      this.received.inc();
    });
  }

  /** Call after the revocation has committed. Resolves whether the other edges were told (false: cache expiry will). */
  async announce(keyHash: string): Promise<boolean> {
    this.auth.forget(keyHash);
    if (!this.channel) return false;
    try {
      await this.channel.publish(keyHash);
      return true;
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'could not announce a key revocation: other edges learn of it by cache expiry');
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.channel?.close();
  }
}
