import type { Server, ServerWritableStream, ServiceError } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram, latencyBuckets } from '@apitopmix/platform/metrics';

type Handler = (call: ServerWritableStream<unknown, unknown>, callback?: (error: ServiceError | null, ...rest: unknown[]) => void) => void;

/**
 * Every gRPC service's request rate, errors and latency, the same series everywhere (the registry's default label
 * names the service): `grpc_server_handled_total{method,code}`, `grpc_server_handling_seconds{method}` (a stream:
 * until its end) and `grpc_server_in_flight{method}`; `method` is `Service/Method`, `code` the gRPC status name
 * (a call the client cancelled counts as CANCELLED). The health service is left out.
 *
 * Measured around grpc-js's handlers rather than with a Nest interceptor: an interceptor puts every call through
 * Nest's RxJS interceptor pipeline, which cost more CPU per call than the rest of a rate-limit admission. Here a call
 * costs a clock read, three series updates and a closure.
 */
export class GrpcServerMetrics {
  private readonly handled: Counter<'method' | 'code'>;
  private readonly duration: Histogram<'method'>;
  private readonly inFlight: Gauge<'method'>;
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

  /** Calls being served now, across methods. */
  get inFlightCalls(): number {
    return this.active;
  }

  /** Wraps every handler registered on `server` from now on (call it before services are added). */
  instrument(server: Server): void {
    const register = server.register.bind(server) as (name: string, handler: Handler, ...rest: unknown[]) => boolean;
    (server as unknown as { register: typeof register }).register = (name, handler, ...rest) =>
      register(name, name.startsWith('/grpc.health.') ? handler : this.wrap(name, handler, rest[2] as string), ...rest);
  }

  private wrap(path: string, handler: Handler, type: string): Handler {
    // '/gateway.ratelimit.v1.RateLimitService/Admit' → 'RateLimitService/Admit'
    const slash = path.lastIndexOf('/');
    const labels = { method: path.slice(path.lastIndexOf('.', slash) + 1) };
    const begin = () => {
      this.active += 1;
      this.inFlight.inc(labels);
      return process.hrtime.bigint();
    };
    const end = (started: bigint, code: string) => {
      this.active -= 1;
      this.inFlight.dec(labels);
      this.handled.inc({ method: labels.method, code });
      this.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    };
    if (type === 'unary' || type === 'clientStream') {
      return (call, callback) => {
        const started = begin();
        handler(call, (error, ...rest) => {
          end(started, error ? codeName(error) : 'OK');
          callback!(error, ...rest);
        });
      };
    }
    return (call) => {
      const started = begin();
      let ended = false;
      const once = (code: string) => {
        if (ended) return;
        ended = true;
        end(started, code);
      };
      call.once('error', (error: ServiceError) => once(codeName(error)));
      call.once('cancelled', () => once('CANCELLED'));
      call.once('finish', () => once('OK'));
      handler(call);
    };
  }
}

function codeName(error: { code?: unknown }): string {
  const code = typeof error.code === 'number' ? error.code : status.UNKNOWN;
  return status[code] ?? String(code);
}
