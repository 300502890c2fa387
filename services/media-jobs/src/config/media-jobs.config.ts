import { z } from 'zod';
import { hostPort, serviceEnv } from '@apitopmix/platform/config';

export const mediaJobsConfigSchema = serviceEnv.extend({
  MEDIA_JOBS_GRPC_URL: hostPort.default('127.0.0.1:50053'),
});

export type MediaJobsConfig = z.infer<typeof mediaJobsConfigSchema>;
