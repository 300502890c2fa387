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
import { stopTelemetry } from '@apitopmix/platform/telemetry';
import { GrpcExceptionFilter } from './grpc-exception.filter';
import { GrpcServerMetrics } from './grpc-server-metrics';
import { PinoNestLogger } from './pino-nest-logger';
import { GRACE_EXPIRED, HEALTH } from './tokens';

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
  /** On SIGTERM, how long calls and streams in flight may run on before they are cancelled (default 20 s). */
  shutdownGraceMs?: number;
  /** Runs after the server listens and before the service reports SERVING: wait for dependencies here. */
  ready?: (app: INestMicroservice) => Promise<void>;
}

/**
 * Starts one internal NestJS gRPC service the same way everywhere: proto files loaded from proto/, the standard
 * gRPC health service, domain errors mapped to gRPC statuses, request metrics (GrpcServerMetrics),
 * structured logs, a Prometheus endpoint, and a graceful stop on SIGTERM/SIGINT:
 * 1. health turns NOT_SERVING, so callers stop choosing this instance;
 * 2. the server stops taking new calls and lets those in flight (streams included) finish, for at most
 *    `shutdownGraceMs`; then the module's GRACE_EXPIRED function, if any, ends what it can cleanly (chat cuts its
 *    streams with an error event and bills what they generated), and a second later what is left is reset;
 * 3. the modules' shutdown hooks run: Kafka producers flush (what they cannot send in time stays in their spool),
 *    consumers leave their group;
 * 4. buffered spans are exported, and the process exits 0.
 */
export async function bootstrapGrpcService(options: GrpcServiceOptions): Promise<INestMicroservice> {
  const serviceNames = options.packages.map((p) => `${p.package}.${p.service}`);
  const health: HealthImplementation = createHealth(serviceNames);
  const root = protoRoot();
  let server: Server | undefined;
  const calls = new GrpcServerMetrics(options.metrics);
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
      onLoadPackageDefinition: (_pkg: unknown, grpcServer: Server) => {
        server = grpcServer;
        calls.instrument(grpcServer);
        health.addToServer(grpcServer);
      },
    },
  });
  app.useGlobalFilters(new GrpcExceptionFilter(options.logger));
  await app.listen();
  const metrics = options.metricsPort !== undefined ? await startMetricsServer(options.metrics, options.metricsPort) : undefined;
  await options.ready?.(app);
  setServing(health, serviceNames, true);
  options.logger.info({ url: options.url, metricsPort: metrics?.port }, `${options.name} serving`);

  const graceMs = options.shutdownGraceMs ?? 20_000;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    options.logger.info({ signal, inFlight: calls.inFlightCalls, graceMs }, `${options.name} stopping`);
    setServing(health, serviceNames, false);
    let force: NodeJS.Timeout | undefined;
    const grace = setTimeout(() => {
      options.logger.warn({ inFlight: calls.inFlightCalls }, `${options.name}: grace period over, ending the calls still running`);
      try {
        (app.get(GRACE_EXPIRED, { strict: false }) as () => unknown)();
      } catch {
        // No such function in this service: the server resets what is left.
      }
      force = setTimeout(() => server?.forceShutdown(), 1_000);
    }, graceMs);
    try {
      await app.close();
    } catch (error) {
      options.logger.error({ err: error }, `${options.name}: error while stopping`);
    }
    clearTimeout(grace);
    clearTimeout(force);
    await metrics?.close();
    options.logger.info(`${options.name} stopped`);
    await stopTelemetry();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  return app;
}
