import { DynamicModule, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import type { Server } from '@grpc/grpc-js';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { GrpcPackage, protoLoaderOptions, protoRoot } from '@apitopmix/contracts';
import { channelOptions, createHealth, HealthImplementation, setServing } from '@apitopmix/platform/grpc';
import { startMetricsServer } from '@apitopmix/platform/metrics';
import { GrpcExceptionFilter } from './grpc-exception.filter';
import { PinoNestLogger } from './pino-nest-logger';
import { HEALTH } from './tokens';

export interface GrpcServiceOptions {
  name: string;
  /** The service's root module; receives HEALTH as a global provider. */
  module: DynamicModule;
  packages: GrpcPackage[];
  /** host:port to listen on. */
  url: string;
  logger: Logger;
  metrics: Registry;
  metricsPort?: number;
  /** Runs after the server listens and before the service reports SERVING: wait for dependencies here. */
  ready?: (app: INestMicroservice) => Promise<void>;
}

/**
 * Starts one internal NestJS gRPC service the same way everywhere: proto files loaded from proto/, the standard
 * gRPC health service, domain errors mapped to gRPC statuses, structured logs, a Prometheus endpoint, and a clean
 * stop on SIGTERM/SIGINT: health turns NOT_SERVING first, then app.close() runs every module's shutdown hooks
 * and lets in-flight calls finish (gracefulShutdown).
 */
export async function bootstrapGrpcService(options: GrpcServiceOptions): Promise<INestMicroservice> {
  const serviceNames = options.packages.map((p) => `${p.package}.${p.service}`);
  const health: HealthImplementation = createHealth(serviceNames);
  const root = protoRoot();
  const module: DynamicModule = {
    ...options.module,
    global: true,
    providers: [...(options.module.providers ?? []), { provide: HEALTH, useValue: health }],
    exports: [...(options.module.exports ?? []), HEALTH],
  };
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(module, {
    transport: Transport.GRPC,
    logger: new PinoNestLogger(options.logger),
    options: {
      url: options.url,
      // Several services may share one package (billing's BillingService and CreditService).
      package: [...new Set(options.packages.map((p) => p.package))],
      protoPath: options.packages.map((p) => join(root, p.proto)),
      loader: { ...protoLoaderOptions, includeDirs: [root] },
      channelOptions,
      gracefulShutdown: true,
      onLoadPackageDefinition: (_pkg: unknown, server: Server) => health.addToServer(server),
    },
  });
  app.useGlobalFilters(new GrpcExceptionFilter(options.logger));
  await app.listen();
  const metrics = options.metricsPort !== undefined ? await startMetricsServer(options.metrics, options.metricsPort) : undefined;
  await options.ready?.(app);
  setServing(health, serviceNames, true);
  options.logger.info({ url: options.url, metricsPort: metrics?.port }, `${options.name} serving`);

  const stop = async (signal: string) => {
    options.logger.info({ signal }, `${options.name} stopping`);
    setServing(health, serviceNames, false);
    await app.close();
    await metrics?.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  return app;
}
