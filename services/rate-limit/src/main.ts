import './telemetry';
import 'reflect-metadata';
import { grpcPackages } from '@apitopmix/contracts';
import { exitOnConfigError, loadConfig } from '@apitopmix/platform/config';
import { createLogger } from '@apitopmix/platform/logging';
import { createMetricsRegistry } from '@apitopmix/platform/metrics';
import { bootstrapGrpcService } from '@apitopmix/platform/nest';
import { AppModule } from './app.module';
import { rateLimitConfigSchema } from './config/rate-limit.config';

async function main(): Promise<void> {
  const config = loadConfig(rateLimitConfigSchema);
  const logger = createLogger('rate-limit', config.LOG_LEVEL);
  const metrics = createMetricsRegistry('rate-limit');
  // Redis is not waited for: the service fails open while Redis is away, so it is ready as soon as it listens.
  await bootstrapGrpcService({
    name: 'rate-limit',
    module: AppModule.register(config, logger, metrics),
    packages: [grpcPackages.rateLimit],
    url: config.RATE_LIMIT_GRPC_URL,
    logger,
    metrics,
    metricsPort: config.METRICS_PORT,
  });
}

main().catch(exitOnConfigError);
