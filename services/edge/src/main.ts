import './telemetry';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { exitOnConfigError, loadConfig } from '@apitopmix/platform/config';
import { createLogger } from '@apitopmix/platform/logging';
import { createMetricsRegistry, startMetricsServer } from '@apitopmix/platform/metrics';
import { PinoNestLogger } from '@apitopmix/platform/nest';
import { stopTelemetry } from '@apitopmix/platform/telemetry';
import { AppModule } from './app.module';
import { edgeConfigSchema } from './config/edge.config';
import { EdgeMetrics } from './http/edge-metrics';
import { sendError, toGatewayError } from './http/error-response';
import { registerJsonBodyParser } from './http/json-body.parser';
import { registerMultipartBodyParser } from './http/multipart-body.parser';
import { OpenAiExceptionFilter } from './http/openai-exception.filter';
import { EdgeShutdown } from './health/edge-shutdown';
import { ReadinessService } from './health/readiness.service';
import { registerRequestTelemetry } from './http/request-telemetry';

async function main(): Promise<void> {
  const config = loadConfig(edgeConfigSchema);
  const logger = createLogger('edge', config.LOG_LEVEL);
  const metrics = createMetricsRegistry('edge');
  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    genReqId: () => `req_${randomUUID().replace(/-/g, '')}`,
    requestIdHeader: false,
    keepAliveTimeout: 75_000,
    // Redirected slashes and case differences are not part of the API surface.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config, logger, metrics), adapter, {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  registerJsonBodyParser(fastify, config.BODY_LIMIT_BYTES);
  registerMultipartBodyParser(fastify, config.BODY_LIMIT_BYTES);
  // Errors raised before a controller runs (body parsing, size limits) get the same shapes as the rest.
  fastify.setErrorHandler((error, request, reply) => sendError(reply, toGatewayError(error, request, logger)));
  app.useGlobalFilters(new OpenAiExceptionFilter(logger));

  const edgeMetrics = app.get(EdgeMetrics);
  const shutdown = app.get(EdgeShutdown);
  shutdown.register(fastify);
  registerRequestTelemetry(fastify);
  // One access-log line per request, with the trace and span ids (pino's instrumentation adds them); the path only,
  // never the query string (it may carry `?key=`), the account but never a key, no body.
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    edgeMetrics.requests.observe({ route, method: request.method, status: String(reply.statusCode) }, seconds);
    logger.info(
      {
        requestId: request.id,
        method: request.method,
        path: request.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        accountId: request.accountId ?? undefined,
        model: request.modelId ?? undefined,
      },
      'request',
    );
    done();
  });

  await app.listen(config.EDGE_PORT, config.EDGE_HOST);
  const metricsServer = config.METRICS_PORT !== undefined ? await startMetricsServer(metrics, config.METRICS_PORT) : undefined;
  logger.info({ url: await app.getUrl(), metricsPort: metricsServer?.port }, 'edge serving');

  // SIGTERM: readiness fails and new requests are refused at once; requests and streams in flight run on for up to
  // SHUTDOWN_GRACE_MS, then the streams left are cut (an error event; chat bills what was generated); then the
  // application closes (connections, gRPC clients, pools), buffered spans are exported, and the process exits 0.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, inFlight: shutdown.requestsInFlight, streams: shutdown.streamsInFlight, graceMs: config.SHUTDOWN_GRACE_MS }, 'edge stopping');
    app.get(ReadinessService).drain();
    const drained = await shutdown.drain(config.SHUTDOWN_GRACE_MS);
    if (drained.leftAtGrace > 0) logger.warn(drained, 'grace period over: streams still running were cut');
    // Whatever is still running past the grace period and the cut (a request stuck on a dependency) is dropped.
    if (drained.left > 0) fastify.server.closeAllConnections();
    try {
      await app.close();
    } catch (error) {
      logger.error({ err: error }, 'error while stopping');
    }
    await metricsServer?.close();
    logger.info('edge stopped');
    await stopTelemetry();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch(exitOnConfigError);
