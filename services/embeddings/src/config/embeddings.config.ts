import { z } from 'zod';
import { hostPort, positiveInt, serviceEnv } from '@apitopmix/platform/config';
import { usageEnv } from '@apitopmix/platform/usage';

export const embeddingsConfigSchema = serviceEnv.extend({
  EMBEDDINGS_GRPC_URL: hostPort.default('127.0.0.1:50052'),
  /** KAFKA_BROKERS, KAFKA_TOPIC_PREFIX, USAGE_SPOOL_DIR (default /var/lib/apitopmix/spool/embeddings), USAGE_SPOOL_MAX_BYTES. */
  ...usageEnv('embeddings'),
  /** Most time an upstream may take to send its response headers (a batch of 2,048 inputs takes a while). */
  UPSTREAM_FIRST_BYTE_TIMEOUT_MS: positiveInt.default(60_000),
  /** Most silence allowed inside a response body. */
  UPSTREAM_IDLE_TIMEOUT_MS: positiveInt.default(60_000),
});

export type EmbeddingsConfig = z.infer<typeof embeddingsConfigSchema>;
