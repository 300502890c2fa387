import { Attributes, context, propagation, ROOT_CONTEXT, Span, SpanKind, trace } from '@opentelemetry/api';
import { tracer } from './gen-ai';

/**
 * Trace context through Kafka, the one place it is handled (W3C `traceparent`/`tracestate` message headers).
 *
 * Why by hand rather than with the kafkajs instrumentation: producers batch off the request path, so the
 * instrumentation's `send` span would be a child of the batch timer and would overwrite each message's headers
 * with it, cutting the consumer off from the request; and its batch consumer spans only link to the producer.
 * Here the event's `create` span is made where the event is, inside its request's trace, and the consumer's
 * `process` span is its child: one trace from the client's request to the ledger write.
 */

/**
 * A `create <topic>` PRODUCER span, child of the current span, ended at once (the send itself happens later, in a
 * batch), and the headers that name it. Outside any trace (a background job) there is no span and no header.
 */
export function traceHeaders(topic: string, attributes?: Attributes): Record<string, string> {
  const headers: Record<string, string> = {};
  const active = context.active();
  if (!trace.getSpan(active)) return headers;
  const span = tracer.startSpan(
    `create ${topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'create',
        'messaging.operation.name': 'create',
        'messaging.destination.name': topic,
        ...attributes,
      },
    },
    active,
  );
  propagation.inject(trace.setSpan(active, span), headers);
  span.end();
  return headers;
}

type MessageHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined;

/** Starts (does not activate) a `process <topic>` CONSUMER span whose parent is the span that created the message. */
export function startConsumerSpan(topic: string, headers: MessageHeaders, attributes: Attributes): Span {
  const carrier: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) carrier[key] = first.toString();
  }
  const parent = propagation.extract(ROOT_CONTEXT, carrier);
  return tracer.startSpan(
    `process ${topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.destination.name': topic,
        ...attributes,
      },
    },
    parent,
  );
}

/**
 * A span for work done once for a batch of messages (one database write for all of them): a child of the first
 * message's span and linked to the others', so each request's trace reaches it (directly or by its link).
 */
export function startBatchSpan(name: string, messageSpans: Span[], attributes: Attributes): Span {
  const [first, ...rest] = messageSpans;
  return tracer.startSpan(
    name,
    { kind: SpanKind.INTERNAL, attributes, links: rest.map((span) => ({ context: span.spanContext() })) },
    first ? trace.setSpan(ROOT_CONTEXT, first) : ROOT_CONTEXT,
  );
}

/** Runs `work` with `span` as the active span, so what it calls (pg, ioredis, gRPC) becomes its children. */
export function withSpan<T>(span: Span, work: () => T): T {
  return context.with(trace.setSpan(context.active(), span), work);
}
