import { z } from 'zod';
import { hostPort, serviceEnv, url } from '@apitopmix/platform/config';
import { usageEnv } from '@apitopmix/platform/usage';
import { imagesEnv } from '../images/images.config';
import { jobsEnv, jobTimingsRule } from '../jobs/jobs.config';

export const mediaJobsConfigSchema = serviceEnv
  .extend({
    MEDIA_JOBS_GRPC_URL: hostPort.default('127.0.0.1:50053'),
    DATABASE_URL: url.refine((v) => v.startsWith('postgres'), 'must be a postgresql:// URL'),
    /** KAFKA_BROKERS, KAFKA_TOPIC_PREFIX, USAGE_SPOOL_DIR (default /var/lib/apitopmix/spool/media-jobs), USAGE_SPOOL_MAX_BYTES. */
    ...usageEnv('media-jobs'),
    /** Video and music jobs: JOB_* (services/media-jobs/src/jobs/jobs.config.ts). */
    ...jobsEnv,
    /** Images and stored media: MEDIA_URL_TTL_SECONDS, MEDIA_SWEEP_INTERVAL_MS, IMAGE_UPSTREAM_TIMEOUT_MS (src/images/images.config.ts). */
    ...imagesEnv,
  })
  .refine(jobTimingsRule.check, { message: jobTimingsRule.message, path: jobTimingsRule.path });

export type MediaJobsConfig = z.infer<typeof mediaJobsConfigSchema>;
