import { z } from 'zod';
import { brokers, hostPort, serviceEnv, url } from '@apitopmix/platform/config';

export const billingConfigSchema = serviceEnv.extend({
  BILLING_GRPC_URL: hostPort.default('127.0.0.1:50054'),
  DATABASE_URL: url.refine((v) => v.startsWith('postgres'), 'must be a postgresql:// URL'),
  KAFKA_BROKERS: brokers,
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[\w.-]*$/, 'letters, digits, ".", "_" and "-" only')
    .default(''),
  BILLING_CONSUMER_GROUP: z.string().min(1).default('billing'),
});

export type BillingConfig = z.infer<typeof billingConfigSchema>;
