import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { CONFIG, LOGGER, METRICS } from '@apitopmix/platform/nest';
import { RateLimitConfig } from './config/rate-limit.config';
import { RateLimitController } from './rate-limit/rate-limit.controller';
import { RateLimitMetrics } from './rate-limit/rate-limit.metrics';
import { RateLimitRepository } from './rate-limit/rate-limit.repository';
import { RateLimitService } from './rate-limit/rate-limit.service';
import { RedisRateLimitRepository } from './rate-limit/redis-rate-limit.repository';
import { WarningThrottle } from './rate-limit/warning-throttle';

@Module({})
export class AppModule {
  /** `metrics` is the registry main.ts also serves on METRICS_PORT; tests pass a fresh one. */
  static register(config: RateLimitConfig, logger: Logger, metrics: Registry): DynamicModule {
    return {
      module: AppModule,
      controllers: [RateLimitController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: METRICS, useValue: metrics },
        RateLimitMetrics,
        RateLimitService,
        { provide: WarningThrottle, useValue: new WarningThrottle(10_000) },
        { provide: RateLimitRepository, useFactory: (warnings: WarningThrottle) => redisRepository(config, logger, warnings), inject: [WarningThrottle] },
      ],
    };
  }
}

/** While Redis is away the client retries every second; its errors share the service's one-warning-per-10-s throttle. */
function redisRepository(config: RateLimitConfig, logger: Logger, warnings: WarningThrottle): RedisRateLimitRepository {
  return RedisRateLimitRepository.connect(config.REDIS_URL, config.RATE_LIMIT_KEY_PREFIX, (error) => {
    if (warnings.shouldWarn()) logger.warn({ error: error.message }, 'redis connection error: rate limiting fails open until it is back');
  });
}
