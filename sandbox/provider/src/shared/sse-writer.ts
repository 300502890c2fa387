// Server-sent events on top of StreamWriter: `event: <name>\ndata: <json>\n\n`, with the line ending each provider
// uses (Google's `alt=sse` streams end lines with CRLF; OpenAI's and Anthropic's with LF).
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { StreamWriter } from './stream-writer';

export interface SseOptions {
  lineEnding?: '\n' | '\r\n';
}

/** One SSE frame. */
export function sseFrame(data: string, event?: string, lineEnding: '\n' | '\r\n' = '\n'): string {
  return `${event ? `event: ${event}${lineEnding}` : ''}data: ${data}${lineEnding}${lineEnding}`;
}

export class SseWriter extends StreamWriter {
  private readonly lineEnding: '\n' | '\r\n';

  constructor(res: ServerResponse, signal: AbortSignal, onEventSent: (count: number) => void = () => undefined, options: SseOptions = {}) {
    super(res, signal, onEventSent);
    this.lineEnding = options.lineEnding ?? '\n';
  }

  override open(headers: OutgoingHttpHeaders = {}): void {
    super.open({ ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  }

  /** Writes one event; resolves once the socket can take more, rejects with an AbortError if the client left. */
  send(data: string, event?: string): Promise<void> {
    return this.write(this.frame(data, event));
  }

  frame(data: string, event?: string): string {
    return sseFrame(data, event, this.lineEnding);
  }
}
