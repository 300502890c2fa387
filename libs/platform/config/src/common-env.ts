import { z } from 'zod';

/** Building blocks for each service's configuration schema. */
export const port = z.coerce.number().int().min(0).max(65535);
export const positiveInt = z.coerce.number().int().positive();
export const url = z.url();
export const hostPort = z.string().regex(/^[\w.-]+:\d{1,5}$/, 'must be host:port');
export const brokers = z
  .string()
  .regex(/^[\w.-]+:\d{1,5}(,[\w.-]+:\d{1,5})*$/, 'must be a comma-separated list of host:port')
  .transform((v) => v.split(','));
export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');
export const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Variables every service reads. */
export const serviceEnv = z.object({
  LOG_LEVEL: logLevel,
  METRICS_PORT: port.optional(),
  /**
   * On SIGTERM, how long requests and streams in flight may go on before they are cut (default 20 s). Leave the
   * orchestrator's own grace (Kubernetes' terminationGracePeriodSeconds) about 10 s more, for the Kafka flush.
   */
  SHUTDOWN_GRACE_MS: positiveInt.default(20_000),
});
