import Redis from 'ioredis';

export { Redis };

/**
 * A Redis client for the hot path: commands fail fast instead of queueing while Redis is away, so a caller can
 * apply its own fallback policy within its latency budget.
 */
export function createRedis(url: string, options: { commandTimeoutMs?: number; name?: string } = {}): Redis {
  return new Redis(url, {
    connectionName: options.name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 15,
    connectTimeout: 1_000,
    lazyConnect: false,
    // Keep trying to reconnect in the background, never more than a second apart.
    retryStrategy: (times) => Math.min(times * 50, 1_000),
  });
}
