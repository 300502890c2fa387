import type { Logger } from 'pino';
import type { MediaStore } from './media-store';

export interface MediaSweeperOptions {
  intervalMs: number;
  /** Rows per DELETE; a sweep repeats batches until one comes back short. */
  batchSize: number;
  now?: () => Date;
}

/**
 * Deletes expired media in the background, every `intervalMs`. Replicas may sweep at the same time: deleting is
 * idempotent. A failed sweep is logged and tried again at the next tick; expired objects are unreadable meanwhile
 * (the store checks the expiry on every read), so a late sweep only costs space.
 */
export class MediaSweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly store: MediaStore,
    private readonly logger: Logger,
    private readonly options: MediaSweeperOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sweep(), this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One sweep; resolves with how many objects it deleted. Never overlaps itself. */
  sweep(): Promise<number> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<number> {
    const now = (this.options.now ?? (() => new Date()))();
    let total = 0;
    try {
      for (;;) {
        const deleted = await this.store.deleteExpired(now, this.options.batchSize);
        total += deleted;
        if (deleted < this.options.batchSize) break;
      }
      if (total > 0) this.logger.debug({ deleted: total }, 'expired media deleted');
    } catch (error) {
      this.logger.warn({ err: error, deleted: total }, 'expired media sweep failed; retried at the next tick');
    }
    return total;
  }
}
