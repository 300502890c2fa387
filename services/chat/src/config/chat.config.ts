import { z } from 'zod';
import { hostPort, positiveInt, serviceEnv } from '@apitopmix/platform/config';
import { usageEnv } from '@apitopmix/platform/usage';

export const chatConfigSchema = serviceEnv.extend({
  CHAT_GRPC_URL: hostPort.default('127.0.0.1:50051'),
  /** KAFKA_BROKERS, KAFKA_TOPIC_PREFIX, USAGE_SPOOL_DIR (default /var/lib/apitopmix/spool/chat), USAGE_SPOOL_MAX_BYTES. */
  ...usageEnv('chat'),
  /** Most time an upstream may take to send its response headers. */
  UPSTREAM_FIRST_BYTE_TIMEOUT_MS: positiveInt.default(60_000),
  /** Most silence allowed inside a response body (between stream chunks). */
  UPSTREAM_IDLE_TIMEOUT_MS: positiveInt.default(120_000),
});

export type ChatConfig = z.infer<typeof chatConfigSchema>;
