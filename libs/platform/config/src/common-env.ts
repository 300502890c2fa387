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
});
