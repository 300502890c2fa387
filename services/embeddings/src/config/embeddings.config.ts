import { z } from 'zod';
import { hostPort, serviceEnv } from '@apitopmix/platform/config';

export const embeddingsConfigSchema = serviceEnv.extend({
  EMBEDDINGS_GRPC_URL: hostPort.default('127.0.0.1:50052'),
});

export type EmbeddingsConfig = z.infer<typeof embeddingsConfigSchema>;
