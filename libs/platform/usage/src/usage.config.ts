import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { brokers, positiveInt } from '@apitopmix/platform/config';

/**
 * The configuration of a service that publishes usage events, to spread into its schema:
 * `serviceEnv.extend({ ...usageEnv('chat'), ... })`.
 */
export function usageEnv(service: string) {
  return {
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PREFIX: z
      .string()
      .regex(/^[\w.-]*$/, 'letters, digits, ".", "_" and "-" only')
      .default(''),
    /**
     * Where usage events wait on disk until Kafka acknowledges them (libs/platform/kafka, durable-spool.ts). One
     * directory per process, kept across restarts: a restarted service sends what its predecessor left. The default
     * suits a container with a volume there; our scripts give each process its own directory under .local/.
     */
    USAGE_SPOOL_DIR: z
      .string()
      .refine((dir) => isAbsolute(dir), 'must be an absolute path')
      .default(`/var/lib/apitopmix/spool/${service}`),
    /** Most bytes the spool may hold; past it, usage events are kept in memory only (and counted). 256 MiB. */
    USAGE_SPOOL_MAX_BYTES: positiveInt.default(256 * 1024 * 1024),
  };
}
