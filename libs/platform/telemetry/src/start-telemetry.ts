import { NodeSDK, NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { redactQuery, redactUrl } from './redact-url';

let sdk: NodeSDK | undefined;

type SpanProcessor = NonNullable<NodeSDKConfiguration['spanProcessors']>[number];

/**
 * Registered when nothing is exported: the SDK installs no tracer provider without a span processor, and the API's
 * no-op tracer then makes no ids at all (a request without a traceparent would have none in its logs).
 */
const discard: SpanProcessor = {
  onStart: () => undefined,
  onEnd: () => undefined,
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

/** Probes and scrapes make no spans. */
const unTraced = new Set(['/metrics', '/healthz', '/readyz']);

/** Whether the standard variables ask for spans to be exported. */
export function tracesExported(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  if (env.OTEL_TRACES_EXPORTER !== undefined) return env.OTEL_TRACES_EXPORTER !== 'none' && env.OTEL_TRACES_EXPORTER !== '';
  return env.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined;
}

/**
 * Starts OpenTelemetry. Must run before anything it instruments is imported, so each service's main.ts imports
 * its `telemetry.ts` first.
 *
 * Configured by the standard variables only: exporting is on when OTEL_TRACES_EXPORTER (otlp, console) or an
 * OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT is set (OTLP over HTTP/protobuf by default, OTEL_EXPORTER_OTLP_PROTOCOL
 * for http/json or grpc), sampling by OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG (default parentbased_always_on),
 * batching by OTEL_BSP_*, OTEL_SDK_DISABLED=true turns it all off. Without an exporter the default sampler is
 * always_off: spans are not recorded, but every span still has ids, so W3C trace context still crosses HTTP, gRPC
 * and Kafka and log lines still carry trace ids, at the cost of id generation only.
 *
 * What is never recorded: request and response bodies, headers (none are captured), query string values (Gemini's
 * `?key=`, signed URLs' `sig=`: replaced by REDACTED on server and client spans), SQL parameter values, Redis
 * arguments. Prompts and completions only with OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true (gen-ai.ts).
 * Kafka context is carried by hand (kafka-trace-context.ts).
 */
export function startTelemetry(serviceName: string): void {
  if (sdk || process.env.OTEL_SDK_DISABLED === 'true') return;
  process.env.OTEL_SERVICE_NAME ??= `apitopmix-${serviceName}`;
  const exporting = tracesExported();
  if (!exporting) {
    process.env.OTEL_TRACES_EXPORTER = 'none';
    process.env.OTEL_TRACES_SAMPLER ??= 'always_off';
  }
  process.env.OTEL_METRICS_EXPORTER ??= 'none'; // metrics are Prometheus (platform/metrics)
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  sdk = new NodeSDK({
    ...(exporting ? {} : { spanProcessors: [discard] }),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => unTraced.has((req.url ?? '').split('?')[0]),
        // Replaces the instrumentation's url.query (which redacts a fixed list of names only): every value goes.
        startIncomingSpanHook: (req) => {
          const q = req.url?.indexOf('?') ?? -1;
          return q === -1 ? {} : { 'url.query': redactQuery(req.url!.slice(q + 1)) ?? '' };
        },
        // Only the OTLP exporter calls out over node:http, and it suppresses its own tracing.
        requireParentforOutgoingSpans: true,
      }),
      new GrpcInstrumentation({ ignoreGrpcMethods: ['Check', 'Watch'] }),
      new UndiciInstrumentation({
        requireParentforSpans: true,
        // Overrides url.full and url.query: upstream URLs may carry a key in their query.
        startSpanHook: (request) => {
          if (!request.path.includes('?')) return {};
          const full = redactUrl(`${request.origin}${request.path}`);
          return { 'url.full': full, 'url.query': `?${full.split('?')[1]}` };
        },
      }),
      // Queries inside a traced request or job only; the pool's connects are noise.
      new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
      // The command name only: arguments carry keys and ids that add nothing a trace needs.
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command }),
      new PinoInstrumentation(),
    ],
  });
  sdk.start();
}

/** Exports what is still buffered (bounded by OTEL_BSP_EXPORT_TIMEOUT) and stops. */
export async function stopTelemetry(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown().catch(() => undefined);
}
