import './telemetry';
import 'reflect-metadata';
import { grpcPackages } from '@apitopmix/contracts';
import { runGrpcService } from '@apitopmix/platform/nest';
import { AppModule } from './app.module';
import { mediaJobsConfigSchema } from './config/media-jobs.config';

runGrpcService({
  name: 'media-jobs',
  configSchema: mediaJobsConfigSchema,
  packages: [grpcPackages.mediaJobs],
  url: (config) => config.MEDIA_JOBS_GRPC_URL,
  module: (config, logger, metrics) => AppModule.register(config, logger, metrics),
});
