import './telemetry';
import 'reflect-metadata';
import { grpcPackages } from '@apitopmix/contracts';
import { exitOnConfigError, loadConfig } from '@apitopmix/platform/config';
import { createLogger } from '@apitopmix/platform/logging';
import { createMetricsRegistry } from '@apitopmix/platform/metrics';
import { bootstrapGrpcService } from '@apitopmix/platform/nest';
import { AppModule } from './app.module';
import { embeddingsConfigSchema } from './config/embeddings.config';

async function main(): Promise<void> {
  const config = loadConfig(embeddingsConfigSchema);
  const logger = createLogger('embeddings', config.LOG_LEVEL);
  await bootstrapGrpcService({
    name: 'embeddings',
    module: AppModule.register(config, logger),
    packages: [grpcPackages.embeddings],
    url: config.EMBEDDINGS_GRPC_URL,
    logger,
    metrics: createMetricsRegistry('embeddings'),
    metricsPort: config.METRICS_PORT,
  });
}

main().catch(exitOnConfigError);
