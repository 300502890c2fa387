import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { brokers, hostPort, positiveInt, serviceEnv } from '@apitopmix/platform/config';

export const chatConfigSchema = serviceEnv.extend({
  CHAT_GRPC_URL: hostPort.default('127.0.0.1:50051'),
  KAFKA_BROKERS: brokers,
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[\w.-]*$/, 'letters, digits, ".", "_" and "-" only')
    .default(''),
  /** Most time an upstream may take to send its response headers. */
  UPSTREAM_FIRST_BYTE_TIMEOUT_MS: positiveInt.default(60_000),
  /** Most silence allowed inside a response body (between stream chunks). */
  UPSTREAM_IDLE_TIMEOUT_MS: positiveInt.default(120_000),
  /**
   * Where usage events wait on disk until Kafka acknowledges them (libs/platform/kafka, durable-spool.ts). One
   * directory per process, kept across restarts: a restarted chat sends what its predecessor left. The default
   * suits a container with a volume there; our scripts give each chat its own directory under .local/.
   */
  USAGE_SPOOL_DIR: z
    .string()
    .refine((dir) => isAbsolute(dir), 'must be an absolute path')
    .default('/var/lib/apitopmix/spool/chat'),
  /** Most bytes the spool may hold; past it, usage events are kept in memory only (and counted). 256 MiB. */
  USAGE_SPOOL_MAX_BYTES: positiveInt.default(256 * 1024 * 1024),
});

export type ChatConfig = z.infer<typeof chatConfigSchema>;
