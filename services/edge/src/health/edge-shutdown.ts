import type { FastifyInstance } from 'fastify';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { sendError } from '../http/error-response';

/** The error a stream cut by the shutdown ends with, and what a request arriving while the edge stops gets. */
export function shuttingDownError(): GatewayError {
  return new GatewayError(ErrorCode.ServiceUnavailable, 'The gateway is restarting and could not finish this request. Please retry.', {
    retryAfterSeconds: 1,
  });
}

export interface DrainResult {
  /** Requests still in flight when the grace period ended (0: all finished). */
  leftAtGrace: number;
  /** Streams cut at the end of the grace period. */
  cut: number;
  /** Requests still in flight after the cut streams had a moment to end. */
  left: number;
}

/**
 * The edge's graceful stop. Counts the requests in flight (any route; a stream until its last byte) and the
 * streams, so that on SIGTERM:
 * 1. new requests are refused (503 in the caller's dialect, `Connection: close`) while readiness already fails;
 * 2. requests and streams in flight go on, up to the grace period;
 * 3. streams still running then are cut: each ends with an error event in its dialect, and its gRPC call is
 *    cancelled, so chat publishes the usage of what was generated and billing charges it;
 * 4. the caller closes the application (connections, clients, pools) once nothing is in flight.
 * Per request: a counter and one `close` listener.
 */
export class EdgeShutdown {
  private inFlight = 0;
  private readonly streams = new Set<AbortController>();
  private draining = false;
  private cutting = false;
  private idle?: () => void;

  get requestsInFlight(): number {
    return this.inFlight;
  }

  get streamsInFlight(): number {
    return this.streams.size;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Counts every request from its arrival to its response's end, and refuses new ones while draining. */
  register(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (request, reply, done) => {
      if (this.draining) {
        reply.header('connection', 'close');
        sendError(reply, shuttingDownError());
        return;
      }
      this.inFlight += 1;
      reply.raw.once('close', () => {
        this.inFlight -= 1;
        if (this.inFlight === 0) this.idle?.();
      });
      done();
    });
  }

  /** A stream begins: the signal aborts when the grace period is over. Call the returned function when it ends. */
  openStream(): { signal: AbortSignal; close(): void } {
    const controller = new AbortController();
    if (this.draining && this.cutting) controller.abort();
    this.streams.add(controller);
    return { signal: controller.signal, close: () => this.streams.delete(controller) };
  }

  /**
   * Stops taking requests and waits for those in flight, at most `graceMs`; then cuts the streams left and waits
   * up to `afterCutMs` more for them (and anything else) to end.
   */
  async drain(graceMs: number, afterCutMs = 2_000): Promise<DrainResult> {
    this.draining = true;
    const leftAtGrace = (await this.waitIdle(graceMs)) ? 0 : this.inFlight;
    let cut = 0;
    if (leftAtGrace > 0) {
      this.cutting = true;
      cut = this.streams.size;
      for (const stream of this.streams) stream.abort();
      await this.waitIdle(afterCutMs);
    }
    return { leftAtGrace, cut, left: this.inFlight };
  }

  private waitIdle(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idle = undefined;
        resolve(false);
      }, timeoutMs);
      this.idle = () => {
        clearTimeout(timer);
        this.idle = undefined;
        resolve(true);
      };
    });
  }
}
