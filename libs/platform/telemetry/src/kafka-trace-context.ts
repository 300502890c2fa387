import { context, propagation, ROOT_CONTEXT, Span, SpanKind, trace } from '@opentelemetry/api';

/**
 * Trace context for Kafka messages, carried in W3C `traceparent`/`tracestate` headers. Captured when an event is
 * created (inside its request's span), so the consumer's work joins the request's trace however the producer
 * batches.
 */
export function traceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
}

type MessageHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined;

/** Starts (does not activate) a consumer span whose parent is the trace that produced the message. */
export function startConsumerSpan(name: string, headers: MessageHeaders, attributes: Record<string, string | number>): Span {
  const carrier: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) carrier[key] = first.toString();
  }
  const parent = propagation.extract(ROOT_CONTEXT, carrier);
  return trace.getTracer('apitopmix').startSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent);
}
