import { z } from 'zod';
import { brokers, hostPort, positiveInt, serviceEnv, url } from '@apitopmix/platform/config';

export const billingConfigSchema = serviceEnv.extend({
  BILLING_GRPC_URL: hostPort.default('127.0.0.1:50054'),
  DATABASE_URL: url.refine((v) => v.startsWith('postgres'), 'must be a postgresql:// URL'),
  KAFKA_BROKERS: brokers,
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[\w.-]*$/, 'letters, digits, ".", "_" and "-" only')
    .default(''),
  BILLING_CONSUMER_GROUP: z.string().min(1).default('billing'),
  /** The credit gate's reservations (services/billing/src/credit). */
  REDIS_URL: url.refine((v) => v.startsWith('redis'), 'must be a redis:// URL'),
  CREDIT_KEY_PREFIX: z.string().min(1).default('credit:'),
  /** How long a reservation whose usage event never comes holds credit: longer than any request. */
  CREDIT_RESERVATION_TTL_MS: positiveInt.default(30 * 60_000),
});

export type BillingConfig = z.infer<typeof billingConfigSchema>;
