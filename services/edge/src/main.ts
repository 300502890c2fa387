import './telemetry';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { exitOnConfigError, loadConfig } from '@apitopmix/platform/config';
import { createLogger } from '@apitopmix/platform/logging';
import { createMetricsRegistry, startMetricsServer } from '@apitopmix/platform/metrics';
import { PinoNestLogger } from '@apitopmix/platform/nest';
import { AppModule } from './app.module';
import { edgeConfigSchema } from './config/edge.config';
import { EdgeMetrics } from './http/edge-metrics';
import { sendError, toGatewayError } from './http/error-response';
import { registerJsonBodyParser } from './http/json-body.parser';
import { registerMultipartBodyParser } from './http/multipart-body.parser';
import { OpenAiExceptionFilter } from './http/openai-exception.filter';
import { ReadinessService } from './health/readiness.service';

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
  // One access-log line per request; the path only, never the query string (it may carry `?key=`).
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    edgeMetrics.requests.observe({ route, method: request.method, status: String(reply.statusCode) }, seconds);
    logger.info(
      { requestId: request.id, method: request.method, path: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 },
      'request',
    );
    done();
  });

  await app.listen(config.EDGE_PORT, config.EDGE_HOST);
  const metricsServer = config.METRICS_PORT !== undefined ? await startMetricsServer(metrics, config.METRICS_PORT) : undefined;
  logger.info({ url: await app.getUrl(), metricsPort: metricsServer?.port }, 'edge serving');

  const stop = async (signal: string) => {
    logger.info({ signal }, 'edge stopping');
    app.get(ReadinessService).drain();
    await app.close();
    await metricsServer?.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch(exitOnConfigError);
