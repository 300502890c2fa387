import './telemetry';
import 'reflect-metadata';
import { grpcPackages } from '@apitopmix/contracts';
import { runGrpcService } from '@apitopmix/platform/nest';
import { AppModule } from './app.module';
import { embeddingsConfigSchema } from './config/embeddings.config';

runGrpcService({
  name: 'embeddings',
  configSchema: embeddingsConfigSchema,
  packages: [grpcPackages.embeddings],
  url: (config) => config.EMBEDDINGS_GRPC_URL,
  module: (config, logger, metrics) => AppModule.register(config, logger, metrics),
});
