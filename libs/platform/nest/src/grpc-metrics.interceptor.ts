import { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { status } from '@grpc/grpc-js';
import { Observable } from 'rxjs';
import type { Registry } from 'prom-client';
import { isGatewayError } from '@apitopmix/platform/errors';
import { toGrpcError } from '@apitopmix/platform/grpc';
import { Counter, Gauge, Histogram, latencyBuckets } from '@apitopmix/platform/metrics';

/**
 * Every gRPC service's request rate, errors and latency, the same series everywhere (the registry's default label
 * names the service): `grpc_server_handled_total{method,code}`, `grpc_server_handling_seconds{method}` (a stream
 * until its last message) and `grpc_server_in_flight{method}`. A call the client cancelled counts as CANCELLED.
 * Per call: a clock read and three label look-ups; method names are worked out once per handler.
 */
export class GrpcMetricsInterceptor implements NestInterceptor {
  private readonly handled: Counter<'method' | 'code'>;
  private readonly duration: Histogram<'method'>;
  private readonly inFlight: Gauge<'method'>;
  private readonly methods = new WeakMap<object, string>();
  private active = 0;

  constructor(registry: Registry) {
    this.handled = new Counter({
      name: 'grpc_server_handled_total',
      help: 'gRPC calls completed, by method and status code',
      labelNames: ['method', 'code'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'grpc_server_handling_seconds',
      help: 'gRPC call duration, by method (a stream: until its end)',
      labelNames: ['method'],
      buckets: latencyBuckets,
      registers: [registry],
    });
    this.inFlight = new Gauge({ name: 'grpc_server_in_flight', help: 'gRPC calls (and streams) being served', labelNames: ['method'], registers: [registry] });
  }

  /** Calls being served now, across methods (the shutdown waits on it). */
  get inFlightCalls(): number {
    return this.active;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const method = this.methodOf(context);
    const started = process.hrtime.bigint();
    this.inFlight.inc({ method });
    this.active += 1;
    let code = 'CANCELLED';
    return new Observable((subscriber) => {
      const subscription = next.handle().subscribe({
        next: (value) => subscriber.next(value),
        error: (error: unknown) => {
          code = codeOf(error);
          subscriber.error(error);
        },
        complete: () => {
          code = 'OK';
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        this.active -= 1;
        this.inFlight.dec({ method });
        this.handled.inc({ method, code });
        this.duration.observe({ method }, Number(process.hrtime.bigint() - started) / 1e9);
      };
    });
  }

  private methodOf(context: ExecutionContext): string {
    const handler = context.getHandler();
    let method = this.methods.get(handler);
    if (method === undefined) {
      const patterns = Reflect.getMetadata(PATTERN_METADATA, handler) as { service?: string; rpc?: string }[] | undefined;
      const pattern = patterns?.[0];
      method = pattern?.service && pattern.rpc ? `${pattern.service}/${pattern.rpc}` : `${context.getClass().name}.${handler.name}`;
      this.methods.set(handler, method);
    }
    return method;
  }
}

function codeOf(error: unknown): string {
  const code = isGatewayError(error)
    ? toGrpcError(error).code
    : typeof (error as { code?: unknown })?.code === 'number'
      ? (error as { code: number }).code
      : status.UNKNOWN;
  return status[code] ?? String(code);
}
