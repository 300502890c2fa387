// Writes a streamed response one frame at a time, as a real provider does, so the gateway sees true streaming:
// each frame is flushed when produced, a full socket buffer pauses generation, and a gone client stops it.
// Framing (SSE events, JSON-array elements) is the caller's business.
import { once } from 'node:events';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

export class StreamWriter {
  private sent = 0;

  constructor(
    protected readonly res: ServerResponse,
    /** Aborted when the client disconnects. */
    protected readonly signal: AbortSignal,
    private readonly onFrameSent: (count: number) => void = () => undefined,
  ) {}

  open(headers: OutgoingHttpHeaders): void {
    this.res.writeHead(200, headers);
    // Send the head now: clients (and the gateway's time-to-first-byte metric) should not wait for the first frame.
    this.res.flushHeaders();
  }

  /** Writes one frame; resolves once the socket can take more, rejects with an AbortError if the client left. */
  async write(frame: string, counted = true): Promise<void> {
    this.signal.throwIfAborted();
    const flushed = this.res.write(frame);
    if (counted) {
      this.sent += 1;
      this.onFrameSent(this.sent);
    }
    // Backpressure: a slow reader must slow the sandbox down rather than grow its memory.
    if (!flushed) await once(this.res, 'drain', { signal: this.signal });
  }

  end(last?: string): void {
    if (last === undefined) this.res.end();
    else this.res.end(last);
  }

  /** Frames written so far. */
  get eventsSent(): number {
    return this.sent;
  }
}
