import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { INestMicroservice } from '@nestjs/common';
import { Client, credentials, makeClientConstructor, ServiceDefinition, ServiceError, status } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { Registry } from 'prom-client';
import { grpcPackages, ratelimit } from '@apitopmix/contracts';
import { createLogger } from '@apitopmix/platform/logging';
import { bootstrapGrpcService } from '@apitopmix/platform/nest';
import { createRedis, Redis } from '@apitopmix/platform/redis';
import { AppModule } from '../src/app.module';
import { rateLimitConfigSchema } from '../src/config/rate-limit.config';
import { RateLimitMetrics } from '../src/rate-limit/rate-limit.metrics';
import { RateLimitService } from '../src/rate-limit/rate-limit.service';
import { RedisRateLimitRepository } from '../src/rate-limit/redis-rate-limit.repository';
import { WarningThrottle } from '../src/rate-limit/warning-throttle';
import { startSlowRedis } from './slow-redis.server';

// `npm test` (scripts/test.mjs) sets TEST_REDIS_URL; a direct jest run may set REDIS_URL or use the local default.
const REDIS_URL = process.env.TEST_REDIS_URL || process.env.REDIS_URL || 'redis://127.0.0.1:56379';
const logger = createLogger('rate-limit-test', 'silent');
const redisClients: Redis[] = [];
const repositories: RedisRateLimitRepository[] = [];

/** A fresh prefix per test: tests share one Redis with everyone else and must not see each other's buckets. */
const uniquePrefix = () => `rl-test:${randomUUID()}:`;

/** A plain client for inspecting and cleaning up keys. */
function connect(): Redis {
  const redis = createRedis(REDIS_URL, { name: 'rate-limit-test', commandTimeoutMs: 1_000 });
  redisClients.push(redis);
  return redis;
}

/** A repository on the same client settings as the service's; connection errors are expected in the Redis-down tests. */
async function repositoryAt(url: string, prefix: string, { waitReady = true } = {}): Promise<RedisRateLimitRepository> {
  const repository = RedisRateLimitRepository.connect(url, prefix, () => undefined);
  repositories.push(repository);
  if (waitReady) await ready(clientOf(repository));
  return repository;
}

const clientOf = (repository: RedisRateLimitRepository) => (repository as unknown as { redis: Redis }).redis;

/**
 * Closes a repository. One pointed at a dead port is stopped by letting its current connection attempt fail with no
 * retry: ioredis's disconnect() would leave a 2 s timer behind for a socket that is already closed.
 */
async function shutdown(repository: RedisRateLimitRepository): Promise<void> {
  const redis = clientOf(repository);
  if (redis.status === 'end') return;
  if (redis.status === 'ready') return repository.onModuleDestroy();
  redis.options.retryStrategy = () => null;
  await new Promise((resolve) => redis.once('end', resolve));
}

async function ready(redis: Redis): Promise<Redis> {
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  return redis;
}

function serviceOver(repository: RedisRateLimitRepository) {
  const registry = new Registry();
  return { registry, service: new RateLimitService(repository, new RateLimitMetrics(registry), logger, new WarningThrottle(10_000)) };
}

async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await registry.getSingleMetric(name)!.get();
  return metric.values.find((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value))?.value ?? 0;
}

afterAll(async () => {
  await Promise.all(repositories.map(shutdown));
  await Promise.all(redisClients.map((redis) => redis.quit().catch(() => redis.disconnect())));
});

describe('Redis scripts (RedisRateLimitRepository + RateLimitService against the real Redis)', () => {
  let redis: Redis;
  let prefix: string;
  let repository: RedisRateLimitRepository;
  let service: RateLimitService;

  beforeAll(async () => {
    redis = await ready(connect());
  });

  beforeEach(async () => {
    prefix = uniquePrefix();
    repository = await repositoryAt(REDIS_URL, prefix);
    service = serviceOver(repository).service;
  });

  afterEach(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
  });

  it('admits exactly 10 of a burst of 12 on 10 RPM; the rest report 0 remaining and a retry of 1..6 s', async () => {
    const responses = [];
    for (let i = 0; i < 12; i++)
      responses.push(await service.admit({ apiKeyId: 'free', limits: { requestsPerMinute: 10, tokensPerMinute: 0 }, estimatedTokens: 0 }));
    expect(responses.filter((r) => r.allowed)).toHaveLength(10);
    expect(responses.slice(0, 10).every((r) => r.allowed)).toBe(true);
    expect(responses.slice(0, 10).map((r) => r.requests!.remaining)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    for (const denied of responses.slice(10)) {
      expect(denied).toMatchObject({ allowed: false, degraded: false, requests: { limit: 10, remaining: 0 } });
      // One request refills every 6 s at 10 RPM.
      expect(denied.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(denied.retryAfterSeconds).toBeLessThanOrEqual(6);
    }
    // The bucket is empty: a full minute (rounded up) until it is full again.
    expect(responses[11]!.requests!.resetSeconds).toBe(60);
    expect(responses[0]!.requests!.resetSeconds).toBe(6);
  });

  it('denies when the estimate exceeds the remaining tokens, and a denial consumes neither requests nor tokens', async () => {
    const limits = { requestsPerMinute: 100, tokensPerMinute: 1000 };
    const first = await service.admit({ apiKeyId: 'k', limits, estimatedTokens: 600 });
    expect(first).toMatchObject({ allowed: true, requests: { remaining: 99 }, tokens: { limit: 1000, remaining: 400, resetSeconds: 36 } });

    const denied = await service.admit({ apiKeyId: 'k', limits, estimatedTokens: 500 });
    expect(denied.allowed).toBe(false);
    // 100 tokens short at 1000/60 per second: 6 s.
    expect(denied.retryAfterSeconds).toBe(6);
    expect(denied.requests!.remaining).toBe(99);
    expect(denied.tokens!.remaining).toBeGreaterThanOrEqual(400);
    expect(denied.tokens!.remaining).toBeLessThan(405);

    // Nothing was taken by the denial: 400 still fit.
    const next = await service.admit({ apiKeyId: 'k', limits, estimatedTokens: 400 });
    expect(next).toMatchObject({ allowed: true, requests: { remaining: 98 } });
    expect(next.tokens!.remaining).toBeLessThan(5);
  });

  it('denies an estimate larger than the whole token limit with retryAfter 60, taking nothing', async () => {
    const limits = { requestsPerMinute: 10, tokensPerMinute: 1000 };
    const denied = await service.admit({ apiKeyId: 'k', limits, estimatedTokens: 1001 });
    expect(denied).toMatchObject({ allowed: false, retryAfterSeconds: 60, requests: { remaining: 10 }, tokens: { remaining: 1000, resetSeconds: 0 } });
    expect(await redis.exists(`${prefix}k`)).toBe(0);
  });

  it('checks the request limit and the token limit together: either one denies', async () => {
    const limits = { requestsPerMinute: 1, tokensPerMinute: 1000 };
    expect((await service.admit({ apiKeyId: 'k', limits, estimatedTokens: 10 })).allowed).toBe(true);
    const denied = await service.admit({ apiKeyId: 'k', limits, estimatedTokens: 10 });
    expect(denied).toMatchObject({ allowed: false, requests: { remaining: 0 } });
    expect(denied.retryAfterSeconds).toBeGreaterThan(58); // 1 RPM: a whole minute for the next request
    expect(denied.tokens!.remaining).toBeGreaterThanOrEqual(990);
    expect(denied.tokens!.remaining).toBeLessThan(995);
  });

  it('treats a limit of 0 as unlimited for that dimension', async () => {
    const limits = { requestsPerMinute: 0, tokensPerMinute: 100 };
    for (let i = 0; i < 50; i++) expect((await service.admit({ apiKeyId: 'k', limits, estimatedTokens: 2 })).allowed).toBe(true);
    const denied = await service.admit({ apiKeyId: 'k', limits, estimatedTokens: 2 });
    expect(denied).toMatchObject({ allowed: false, requests: { limit: 0, remaining: 0, resetSeconds: 0 } });
  });

  it('Settle gives tokens back (capped at the limit) and takes extra ones (floored at zero)', async () => {
    const limits = { requestsPerMinute: 100, tokensPerMinute: 1000 };
    await service.admit({ apiKeyId: 'k', limits, estimatedTokens: 600 });

    const returned = await service.settle({ apiKeyId: 'k', limits, tokenDelta: -300 });
    expect(returned.tokens!.limit).toBe(1000);
    expect(returned.tokens!.remaining).toBeGreaterThanOrEqual(700);
    expect(returned.tokens!.remaining).toBeLessThan(705);

    expect((await service.settle({ apiKeyId: 'k', limits, tokenDelta: -5000 })).tokens).toEqual({ limit: 1000, remaining: 1000, resetSeconds: 0 });

    const overspent = await service.settle({ apiKeyId: 'k', limits, tokenDelta: 5000 });
    expect(overspent.tokens).toMatchObject({ remaining: 0, resetSeconds: 60 });
    // Floored at zero, not in debt: the refill starts right away.
    const afterOverspend = await service.admit({ apiKeyId: 'k', limits, estimatedTokens: 1 });
    expect(afterOverspend.allowed).toBe(false);
    expect(afterOverspend.retryAfterSeconds).toBe(1);
    // The request bucket's state survived the token-only writes.
    expect(afterOverspend.requests!.remaining).toBe(99);
  });

  it('expires a key when its buckets would be full again, no later', async () => {
    await service.admit({ apiKeyId: 'k', limits: { requestsPerMinute: 60, tokensPerMinute: 6000 }, estimatedTokens: 3000 });
    // Request bucket full in 1 s, token bucket (half empty) in 30 s.
    const ttl = await redis.pttl(`${prefix}k`);
    expect(ttl).toBeGreaterThan(29_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });

  it('admits exactly 100 of 200 concurrent Admits on 100 RPM', async () => {
    const outcomes = await Promise.all(Array.from({ length: 200 }, () => repository.admit('burst', { requestsPerMinute: 100, tokensPerMinute: 0 }, 0)));
    expect(outcomes.filter((o) => o.allowed)).toHaveLength(100);
  });
});

describe('Redis unreachable or slow: fail open within 20 ms', () => {
  it('answers degraded allow within 20 ms when nothing listens on the Redis port, and counts it', async () => {
    const { service, registry } = serviceOver(await repositoryAt('redis://127.0.0.1:1', uniquePrefix(), { waitReady: false }));
    const limits = { requestsPerMinute: 10, tokensPerMinute: 1000 };
    const timings: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const response = await service.admit({ apiKeyId: 'k', limits, estimatedTokens: 50 });
      timings.push(performance.now() - started);
      expect(response).toEqual({
        allowed: true,
        degraded: true,
        requests: { limit: 10, remaining: 10, resetSeconds: 0 },
        tokens: { limit: 1000, remaining: 1000, resetSeconds: 0 },
        retryAfterSeconds: 0,
      });
    }
    // The median, so one scheduling hiccup of a shared 2-core machine does not decide.
    expect(timings.sort((a, b) => a - b)[1]).toBeLessThan(20);
    expect(await metricValue(registry, 'ratelimit_redis_failures_total')).toBe(3);
    expect(await metricValue(registry, 'ratelimit_decisions_total', { decision: 'degraded' })).toBe(3);
  });

  it('answers degraded allow within 20 ms when Redis is connected but answers the script only after 100 ms', async () => {
    const slow = await startSlowRedis(100);
    try {
      const repository = await repositoryAt(slow.url, uniquePrefix());
      const { service, registry } = serviceOver(repository);
      const timings: number[] = [];
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        const response = await service.admit({ apiKeyId: 'k', limits: { requestsPerMinute: 10, tokensPerMinute: 0 }, estimatedTokens: 0 });
        timings.push(performance.now() - started);
        expect(response).toMatchObject({ allowed: true, degraded: true });
      }
      timings.sort((a, b) => a - b);
      expect(timings[0]).toBeGreaterThanOrEqual(9); // it really waited for the 10 ms budget
      expect(timings[1]).toBeLessThan(20); // the median: one scheduling hiccup does not decide
      expect(await metricValue(registry, 'ratelimit_redis_failures_total')).toBe(3);
      await slow.replied(); // the late reply is dropped, not counted twice
      await new Promise((resolve) => setImmediate(resolve));
      expect(await metricValue(registry, 'ratelimit_redis_failures_total')).toBe(3);
      await repository.onModuleDestroy();
    } finally {
      await slow.close();
    }
  });
});

describe('over gRPC (the Nest app started as main.ts does)', () => {
  type HealthClient = Client & {
    check(request: { service: string }, callback: (error: ServiceError | null, response: { status: string }) => void): void;
  };
  let app: INestMicroservice;
  let client: ratelimit.RateLimitServiceClient;
  let health: HealthClient;
  let registry: Registry;
  const prefix = uniquePrefix();

  const admit = (request: ratelimit.AdmitRequest) =>
    new Promise<ratelimit.AdmitResponse>((resolve, reject) => client.admit(request, (error, response) => (error ? reject(error) : resolve(response))));

  beforeAll(async () => {
    const address = `127.0.0.1:${await freePort()}`;
    const config = rateLimitConfigSchema.parse({ REDIS_URL, RATE_LIMIT_GRPC_URL: address, RATE_LIMIT_KEY_PREFIX: prefix, LOG_LEVEL: 'silent' });
    registry = new Registry();
    app = await bootstrapGrpcService({
      name: 'rate-limit',
      module: AppModule.register(config, logger, registry),
      packages: [grpcPackages.rateLimit],
      url: address,
      logger,
      metrics: registry,
    });
    client = new ratelimit.RateLimitServiceClient(address, credentials.createInsecure());
    // The first call pays for the connection and the cold code paths; the concurrency test measures steady state.
    await admit({ apiKeyId: 'warm-up', limits: { requestsPerMinute: 1, tokensPerMinute: 0 }, estimatedTokens: 0 });
    const HealthClient = makeClientConstructor(healthService as unknown as ServiceDefinition, 'grpc.health.v1.Health');
    health = new HealthClient(address, credentials.createInsecure()) as unknown as HealthClient;
  });

  afterAll(async () => {
    client?.close();
    health?.close();
    await app?.close();
    const redis = await ready(connect());
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
  });

  it('reports SERVING on the standard health service, overall and for RateLimitService', async () => {
    for (const name of ['', 'gateway.ratelimit.v1.RateLimitService']) {
      const response = await new Promise<{ status: string }>((resolve, reject) =>
        health.check({ service: name }, (error, res) => (error ? reject(error) : resolve(res))),
      );
      expect(response.status).toBe('SERVING');
    }
  });

  it('admits exactly 100 of 200 concurrent Admits on 100 RPM', async () => {
    const allowedBefore = await metricValue(registry, 'ratelimit_decisions_total', { decision: 'allowed' });
    const responses = await Promise.all(
      Array.from({ length: 200 }, () => admit({ apiKeyId: 'grpc-burst', limits: { requestsPerMinute: 100, tokensPerMinute: 100_000 }, estimatedTokens: 10 })),
    );
    expect(responses.filter((r) => r.allowed)).toHaveLength(100);
    const denied = responses.filter((r) => !r.allowed);
    expect(denied.every((r) => r.retryAfterSeconds >= 1 && r.requests!.remaining === 0 && !r.degraded)).toBe(true);
    // Denials took no tokens: exactly 100 reservations of 10 are out (the refill may have added a few back).
    const tokensLeft = Math.max(...responses.map((r) => r.tokens!.remaining));
    expect(tokensLeft).toBeGreaterThanOrEqual(99_000);
    expect(await metricValue(registry, 'ratelimit_decisions_total', { decision: 'allowed' })).toBe(allowedBefore + 100);
    expect(await metricValue(registry, 'ratelimit_decisions_total', { decision: 'denied' })).toBe(100);
  });

  it('maps a missing apiKeyId or missing limits to INVALID_ARGUMENT', async () => {
    await expect(admit({ apiKeyId: '', limits: { requestsPerMinute: 1, tokensPerMinute: 1 }, estimatedTokens: 1 })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
    });
    await expect(admit({ apiKeyId: 'k', limits: undefined, estimatedTokens: 1 })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it('settles through gRPC', async () => {
    const limits = { requestsPerMinute: 10, tokensPerMinute: 1000 };
    await admit({ apiKeyId: 'grpc-settle', limits, estimatedTokens: 900 });
    const response = await new Promise<ratelimit.SettleResponse>((resolve, reject) =>
      client.settle({ apiKeyId: 'grpc-settle', limits, tokenDelta: -800 }, (error, res) => (error ? reject(error) : resolve(res))),
    );
    expect(response.tokens!.remaining).toBeGreaterThanOrEqual(900);
    expect(response.tokens!.remaining).toBeLessThan(905);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
