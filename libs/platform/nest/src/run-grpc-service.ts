import { DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import { GrpcPackage } from '@apitopmix/contracts';
import { exitOnConfigError, loadConfig } from '@apitopmix/platform/config';
import { createLogger } from '@apitopmix/platform/logging';
import { createMetricsRegistry } from '@apitopmix/platform/metrics';
import { bootstrapGrpcService } from './bootstrap-grpc-service';

interface BaseConfig {
  LOG_LEVEL: string;
  METRICS_PORT?: number;
  SHUTDOWN_GRACE_MS: number;
}

export interface GrpcServiceSpec<C extends BaseConfig> {
  name: string;
  configSchema: z.ZodType<C>;
  packages: GrpcPackage[];
  /** host:port to listen on, from the validated configuration. */
  url: (config: C) => string;
  module: (config: C, logger: Logger, metrics: Registry) => DynamicModule;
}

/**
 * A gRPC service's whole main(): validate the configuration (a bad variable exits 78 naming it), then a JSON
 * logger, a metrics registry and the Nest application, all named after the service.
 */
export function runGrpcService<C extends BaseConfig>(spec: GrpcServiceSpec<C>): void {
  const main = async () => {
    const config = loadConfig(spec.configSchema as unknown as z.ZodObject) as C;
    const logger = createLogger(spec.name, config.LOG_LEVEL);
    const metrics = createMetricsRegistry(spec.name);
    await bootstrapGrpcService({
      name: spec.name,
      module: spec.module(config, logger, metrics),
      packages: spec.packages,
      url: spec.url(config),
      logger,
      metrics,
      metricsPort: config.METRICS_PORT,
      shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
    });
  };
  main().catch(exitOnConfigError);
}
