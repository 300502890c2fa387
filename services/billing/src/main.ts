import './telemetry';
import 'reflect-metadata';
import { grpcPackages } from '@apitopmix/contracts';
import { runGrpcService } from '@apitopmix/platform/nest';
import { AppModule } from './app.module';
import { billingConfigSchema } from './config/billing.config';

runGrpcService({
  name: 'billing',
  configSchema: billingConfigSchema,
  packages: [grpcPackages.billing, grpcPackages.credit],
  url: (config) => config.BILLING_GRPC_URL,
  module: (config, logger, metrics) => AppModule.register(config, logger, metrics),
});
