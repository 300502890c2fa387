import './telemetry';
import 'reflect-metadata';
import { grpcPackages } from '@apitopmix/contracts';
import { exitOnConfigError, loadConfig } from '@apitopmix/platform/config';
import { createLogger } from '@apitopmix/platform/logging';
import { createMetricsRegistry } from '@apitopmix/platform/metrics';
import { bootstrapGrpcService } from '@apitopmix/platform/nest';
import { AppModule } from './app.module';
import { chatConfigSchema } from './config/chat.config';

async function main(): Promise<void> {
  const config = loadConfig(chatConfigSchema);
  const logger = createLogger('chat', config.LOG_LEVEL);
  const metrics = createMetricsRegistry('chat');
  await bootstrapGrpcService({
    name: 'chat',
    module: AppModule.register(config, logger, metrics),
    packages: [grpcPackages.chat],
    url: config.CHAT_GRPC_URL,
    logger,
    metrics,
    metricsPort: config.METRICS_PORT,
  });
}

main().catch(exitOnConfigError);
