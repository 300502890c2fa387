import './telemetry';
import 'reflect-metadata';
import { grpcPackages } from '@apitopmix/contracts';
import { runGrpcService } from '@apitopmix/platform/nest';
import { AppModule } from './app.module';
import { rateLimitConfigSchema } from './config/rate-limit.config';

// Redis is not waited for: the service fails open while Redis is away, so it is ready as soon as it listens.
runGrpcService({
  name: 'rate-limit',
  configSchema: rateLimitConfigSchema,
  packages: [grpcPackages.rateLimit],
  url: (config) => config.RATE_LIMIT_GRPC_URL,
  module: (config, logger, metrics) => AppModule.register(config, logger, metrics),
});
