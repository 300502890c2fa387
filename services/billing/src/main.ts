import './telemetry';
import 'reflect-metadata';
import { grpcPackages } from '@apitopmix/contracts';
import { exitOnConfigError, loadConfig } from '@apitopmix/platform/config';
import { createLogger } from '@apitopmix/platform/logging';
import { createMetricsRegistry } from '@apitopmix/platform/metrics';
import { bootstrapGrpcService } from '@apitopmix/platform/nest';
import { AppModule } from './app.module';
import { billingConfigSchema } from './config/billing.config';

async function main(): Promise<void> {
  const config = loadConfig(billingConfigSchema);
  const logger = createLogger('billing', config.LOG_LEVEL);
  const metrics = createMetricsRegistry('billing');
  await bootstrapGrpcService({
    name: 'billing',
    module: AppModule.register(config, logger, metrics),
    packages: [grpcPackages.billing],
    url: config.BILLING_GRPC_URL,
    logger,
    metrics,
    metricsPort: config.METRICS_PORT,
  });
}

main().catch(exitOnConfigError);
