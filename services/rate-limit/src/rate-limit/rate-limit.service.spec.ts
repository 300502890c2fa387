import { Registry } from 'prom-client';
import type { Logger } from 'pino';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { RateLimitMetrics } from './rate-limit.metrics';
import { AdmitOutcome, MinuteLimits, RateLimitRepository } from './rate-limit.repository';
import { RateLimitService } from './rate-limit.service';
import { WarningThrottle } from './warning-throttle';

class FakeRepository extends RateLimitRepository {
  admitCalls: Array<{ apiKeyId: string; limits: MinuteLimits; estimatedTokens: number }> = [];
  settleCalls: Array<{ apiKeyId: string; tokensPerMinute: number; tokenDelta: number }> = [];
  admitResult: AdmitOutcome | Error = { allowed: true, requestLevel: 0, tokenLevel: 0, waitSeconds: 0 };
  settleResult: number | Error = 0;

  async admit(apiKeyId: string, limits: MinuteLimits, estimatedTokens: number): Promise<AdmitOutcome> {
    this.admitCalls.push({ apiKeyId, limits, estimatedTokens });
    if (this.admitResult instanceof Error) throw this.admitResult;
    return this.admitResult;
  }

  async settle(apiKeyId: string, tokensPerMinute: number, tokenDelta: number): Promise<number> {
    this.settleCalls.push({ apiKeyId, tokensPerMinute, tokenDelta });
    if (this.settleResult instanceof Error) throw this.settleResult;
    return this.settleResult;
  }
}

function setup() {
  const registry = new Registry();
  const repository = new FakeRepository();
  const logger = { warn: jest.fn() };
  const service = new RateLimitService(repository, new RateLimitMetrics(registry), logger as unknown as Logger, new WarningThrottle(10_000));
  const counter = async (name: string, labels: Record<string, string> = {}) => {
    const metric = await registry.getSingleMetric(name)!.get();
    return metric.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val))?.value ?? 0;
  };
  return { registry, repository, logger, service, counter };
}

const limits = { requestsPerMinute: 10, tokensPerMinute: 1000 };

describe('RateLimitService.admit', () => {
  it('maps an allowed outcome: floors remaining, whole seconds to full, no retry', async () => {
    const { repository, service, counter } = setup();
    repository.admitResult = { allowed: true, requestLevel: 8.4, tokenLevel: 250.9, waitSeconds: 0 };
    const response = await service.admit({ apiKeyId: 'key_1', limits, estimatedTokens: 750 });
    expect(response).toEqual({
      allowed: true,
      requests: { limit: 10, remaining: 8, resetSeconds: 10 }, // 1.6 missing at 1 per 6 s = 9.6 s
      tokens: { limit: 1000, remaining: 250, resetSeconds: 45 }, // 749.1 missing at 1000/60 per s = 44.9 s
      retryAfterSeconds: 0,
      degraded: false,
    });
    expect(repository.admitCalls).toEqual([{ apiKeyId: 'key_1', limits, estimatedTokens: 750 }]);
    expect(await counter('ratelimit_decisions_total', { decision: 'allowed' })).toBe(1);
  });

  it('maps a denial with retryAfter rounded up to at least one second', async () => {
    const { repository, service, counter } = setup();
    repository.admitResult = { allowed: false, requestLevel: 0.2, tokenLevel: 1000, waitSeconds: 4.8 };
    const response = await service.admit({ apiKeyId: 'key_1', limits, estimatedTokens: 1 });
    expect(response.allowed).toBe(false);
    expect(response.retryAfterSeconds).toBe(5);
    expect(response.requests).toEqual({ limit: 10, remaining: 0, resetSeconds: 59 });
    expect(await counter('ratelimit_decisions_total', { decision: 'denied' })).toBe(1);

    repository.admitResult = { allowed: false, requestLevel: 0.99999, tokenLevel: 1000, waitSeconds: 0.0001 };
    expect((await service.admit({ apiKeyId: 'key_1', limits, estimatedTokens: 1 })).retryAfterSeconds).toBe(1);
  });

  it('fails open when the repository throws: allowed, degraded, full limits, counted, warned once per 10 s', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    try {
      const { repository, service, counter, logger } = setup();
      repository.admitResult = new Error('Command timed out');
      const response = await service.admit({ apiKeyId: 'key_1', limits, estimatedTokens: 5000 });
      expect(response).toEqual({
        allowed: true,
        requests: { limit: 10, remaining: 10, resetSeconds: 0 },
        tokens: { limit: 1000, remaining: 1000, resetSeconds: 0 },
        retryAfterSeconds: 0,
        degraded: true,
      });
      await service.admit({ apiKeyId: 'key_1', limits, estimatedTokens: 1 });
      jest.setSystemTime(1_009_999);
      await service.admit({ apiKeyId: 'key_1', limits, estimatedTokens: 1 });
      expect(logger.warn).toHaveBeenCalledTimes(1);
      jest.setSystemTime(1_010_000);
      await service.admit({ apiKeyId: 'key_1', limits, estimatedTokens: 1 });
      expect(logger.warn).toHaveBeenCalledTimes(2);

      expect(await counter('ratelimit_redis_failures_total')).toBe(4);
      expect(await counter('ratelimit_decisions_total', { decision: 'degraded' })).toBe(4);
      expect(await counter('ratelimit_decisions_total', { decision: 'allowed' })).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('fails open when the repository does not answer within the 10 ms budget', async () => {
    const { repository, service, counter } = setup();
    repository.admit = () => new Promise<never>(() => undefined);
    const started = performance.now();
    const response = await service.admit({ apiKeyId: 'key_1', limits, estimatedTokens: 1 });
    const elapsed = performance.now() - started;
    expect(response).toMatchObject({ allowed: true, degraded: true });
    expect(elapsed).toBeGreaterThanOrEqual(9);
    // It did not wait for the repository (which never answers); the 20 ms promise itself is measured against a
    // real slow Redis in the integration spec, away from this suite's parallel load.
    expect(elapsed).toBeLessThan(1_000);
    expect(await counter('ratelimit_redis_failures_total')).toBe(1);
  });

  it('records the duration of every decision', async () => {
    const { registry, service } = setup();
    await service.admit({ apiKeyId: 'key_1', limits, estimatedTokens: 1 });
    await service.admit({ apiKeyId: 'key_1', limits, estimatedTokens: 1 });
    const histogram = await registry.getSingleMetric('ratelimit_admit_duration_seconds')!.get();
    expect(histogram.values.find((v) => (v as { metricName?: string }).metricName === 'ratelimit_admit_duration_seconds_count')?.value).toBe(2);
  });

  it('never calls Redis when neither dimension is limited (0 = unlimited)', async () => {
    const { repository, service } = setup();
    const response = await service.admit({ apiKeyId: 'key_1', limits: { requestsPerMinute: 0, tokensPerMinute: 0 }, estimatedTokens: 10 ** 9 });
    expect(response).toEqual({
      allowed: true,
      requests: { limit: 0, remaining: 0, resetSeconds: 0 },
      tokens: { limit: 0, remaining: 0, resetSeconds: 0 },
      retryAfterSeconds: 0,
      degraded: false,
    });
    expect(repository.admitCalls).toHaveLength(0);
  });

  it.each([
    ['a missing apiKeyId', { apiKeyId: '', limits, estimatedTokens: 1 }, 'api_key_id'],
    ['an oversized apiKeyId', { apiKeyId: 'k'.repeat(257), limits, estimatedTokens: 1 }, 'api_key_id'],
    ['missing limits', { apiKeyId: 'key_1', limits: undefined, estimatedTokens: 1 }, 'limits'],
    ['null limits (proto-loader with defaults)', { apiKeyId: 'key_1', limits: null as never, estimatedTokens: 1 }, 'limits'],
  ])('rejects %s as InvalidRequest without touching Redis', async (_name, request, param) => {
    const { repository, service } = setup();
    const error = await service.admit(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe(ErrorCode.InvalidRequest);
    expect((error as GatewayError).param).toBe(param);
    expect(repository.admitCalls).toHaveLength(0);
  });
});

describe('RateLimitService.settle', () => {
  it('passes the delta through and maps the token level', async () => {
    const { repository, service } = setup();
    repository.settleResult = 700.5;
    const response = await service.settle({ apiKeyId: 'key_1', limits, tokenDelta: -300 });
    expect(response).toEqual({ tokens: { limit: 1000, remaining: 700, resetSeconds: 18 } });
    expect(repository.settleCalls).toEqual([{ apiKeyId: 'key_1', tokensPerMinute: 1000, tokenDelta: -300 }]);
  });

  it('fails open too: full token state, failure counted', async () => {
    const { repository, service, counter } = setup();
    repository.settleResult = new Error('Connection is closed.');
    expect(await service.settle({ apiKeyId: 'key_1', limits, tokenDelta: 10 })).toEqual({ tokens: { limit: 1000, remaining: 1000, resetSeconds: 0 } });
    expect(await counter('ratelimit_redis_failures_total')).toBe(1);
  });

  it('skips Redis for an unlimited token dimension and validates like admit', async () => {
    const { repository, service } = setup();
    expect(await service.settle({ apiKeyId: 'key_1', limits: { requestsPerMinute: 10, tokensPerMinute: 0 }, tokenDelta: 10 })).toEqual({
      tokens: { limit: 0, remaining: 0, resetSeconds: 0 },
    });
    expect(repository.settleCalls).toHaveLength(0);
    await expect(service.settle({ apiKeyId: 'key_1', limits: undefined, tokenDelta: 1 })).rejects.toMatchObject({ code: ErrorCode.InvalidRequest });
  });
});
