import './telemetry';
import 'reflect-metadata';
import { grpcPackages } from '@apitopmix/contracts';
import { runGrpcService } from '@apitopmix/platform/nest';
import { AppModule } from './app.module';
import { chatConfigSchema } from './config/chat.config';

runGrpcService({
  name: 'chat',
  configSchema: chatConfigSchema,
  packages: [grpcPackages.chat],
  url: (config) => config.CHAT_GRPC_URL,
  module: (config, logger, metrics) => AppModule.register(config, logger, metrics),
});
