import { z } from 'zod';
import { hostPort, serviceEnv } from '@apitopmix/platform/config';

export const rateLimitConfigSchema = serviceEnv.extend({
  RATE_LIMIT_GRPC_URL: hostPort.default('127.0.0.1:50055'),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }),
  /** Prefix of every bucket key; tests set their own to stay isolated. */
  RATE_LIMIT_KEY_PREFIX: z.string().min(1).default('rl:'),
});

export type RateLimitConfig = z.infer<typeof rateLimitConfigSchema>;
