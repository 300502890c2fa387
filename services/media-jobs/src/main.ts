import './telemetry';
import 'reflect-metadata';
import { grpcPackages } from '@apitopmix/contracts';
import { exitOnConfigError, loadConfig } from '@apitopmix/platform/config';
import { createLogger } from '@apitopmix/platform/logging';
import { createMetricsRegistry } from '@apitopmix/platform/metrics';
import { bootstrapGrpcService } from '@apitopmix/platform/nest';
import { AppModule } from './app.module';
import { mediaJobsConfigSchema } from './config/media-jobs.config';

async function main(): Promise<void> {
  const config = loadConfig(mediaJobsConfigSchema);
  const logger = createLogger('media-jobs', config.LOG_LEVEL);
  await bootstrapGrpcService({
    name: 'media-jobs',
    module: AppModule.register(config, logger),
    packages: [grpcPackages.mediaJobs],
    url: config.MEDIA_JOBS_GRPC_URL,
    logger,
    metrics: createMetricsRegistry('media-jobs'),
    metricsPort: config.METRICS_PORT,
  });
}

main().catch(exitOnConfigError);
