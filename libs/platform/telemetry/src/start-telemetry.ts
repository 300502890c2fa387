import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';

let sdk: NodeSDK | undefined;

/**
 * Starts OpenTelemetry. Must run before anything it instruments is imported, so each service's main.ts imports
 * its `telemetry.ts` first.
 *
 * Spans are always created, so trace context crosses HTTP, gRPC and Kafka (W3C traceparent) and log lines carry
 * trace ids. Kafka is propagated by hand (kafka-trace-context.ts): producers batch off the request path, where
 * the kafkajs instrumentation would parent each message to the batch timer instead of its request.
 * Exporting is off unless the standard variables ask for it: OTEL_TRACES_EXPORTER, or an
 * OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT. OTEL_SDK_DISABLED=true turns everything off.
 */
export function startTelemetry(serviceName: string): void {
  if (sdk || process.env.OTEL_SDK_DISABLED === 'true') return;
  process.env.OTEL_SERVICE_NAME ??= `apitopmix-${serviceName}`;
  const exporting =
    (process.env.OTEL_TRACES_EXPORTER !== undefined && process.env.OTEL_TRACES_EXPORTER !== 'none') ||
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined ||
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined;
  if (!exporting) process.env.OTEL_TRACES_EXPORTER = 'none';
  process.env.OTEL_METRICS_EXPORTER ??= 'none'; // metrics are Prometheus (platform/metrics)
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  sdk = new NodeSDK({
    // With no exporter, an empty processor list still gives a real tracer provider: ids and propagation work.
    ...(exporting ? {} : { spanProcessors: [] }),
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => req.url === '/metrics' || req.url === '/healthz' || req.url === '/readyz' }),
      new GrpcInstrumentation({ ignoreGrpcMethods: ['Check', 'Watch'] }),
      new UndiciInstrumentation(),
      new PgInstrumentation(),
      new IORedisInstrumentation(),
      new PinoInstrumentation(),
    ],
  });
  sdk.start();
}

export async function stopTelemetry(): Promise<void> {
  await sdk?.shutdown().catch(() => undefined);
  sdk = undefined;
}
