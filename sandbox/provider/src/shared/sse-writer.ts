// Writes server-sent events one at a time, as a real provider does, so the gateway sees true streaming:
// each event is flushed when produced, a full socket buffer pauses generation, and a gone client stops it.
import { once } from 'node:events';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

export class SseWriter {
  private sent = 0;

  constructor(
    private readonly res: ServerResponse,
    /** Aborted when the client disconnects. */
    private readonly signal: AbortSignal,
    private readonly onEventSent: (count: number) => void = () => undefined,
  ) {}

  open(headers: OutgoingHttpHeaders = {}): void {
    this.res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
    });
    // Send the head now: clients (and the gateway's time-to-first-byte metric) should not wait for the first event.
    this.res.flushHeaders();
  }

  /** Writes one event; resolves once the socket can take more, rejects with an AbortError if the client left. */
  async send(data: string, event?: string): Promise<void> {
    this.signal.throwIfAborted();
    const frame = `${event ? `event: ${event}\n` : ''}data: ${data}\n\n`;
    const flushed = this.res.write(frame);
    this.sent += 1;
    this.onEventSent(this.sent);
    // Backpressure: a slow reader must slow the sandbox down rather than grow its memory.
    if (!flushed) await once(this.res, 'drain', { signal: this.signal });
  }

  end(): void {
    this.res.end();
  }

  get eventsSent(): number {
    return this.sent;
  }
}
