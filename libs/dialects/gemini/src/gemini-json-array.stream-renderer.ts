import type { CanonicalStreamEvent, StreamRenderer } from '@apitopmix/contracts';
import { GeminiChunkAssembler, GeminiStreamContext } from './gemini.stream-renderer';

/**
 * The framing of a JSON array written element by element: `[` before the first, `,\r\n` between, `]` at the end
 * (`[]` when there was none). Shared by the rendered stream and the pass-through one.
 */
export class JsonArrayFraming {
  private opened = false;

  element(json: string): string {
    const separator = this.opened ? ',\r\n' : '[';
    this.opened = true;
    return `${separator}${json}`;
  }

  close(): string {
    return this.opened ? ']' : '[]';
  }
}

/**
 * `streamGenerateContent` without `alt=sse`: Google streams one JSON array, its elements written as they come
 * (`[` + chunk, then `,\r\n` + chunk, and `]` at the end), so the whole body parses as JSON once complete.
 * An error mid-stream is a last element `{"error":{code,message,status}}`, and the array is closed at once.
 */
export class GeminiJsonArrayStreamRenderer implements StreamRenderer {
  private readonly assembler: GeminiChunkAssembler;
  private readonly array = new JsonArrayFraming();
  private closed = false;

  constructor(context: GeminiStreamContext) {
    this.assembler = new GeminiChunkAssembler(context);
  }

  render(event: CanonicalStreamEvent): string[] {
    if (this.closed) return [];
    const { chunks, error } = this.assembler.push(event);
    const frames = chunks.map((chunk) => this.element(chunk));
    if (error) {
      frames.push(`${this.element(error)}]`);
      this.closed = true;
    }
    return frames;
  }

  end(): string[] {
    if (this.closed) return [];
    const frames = this.assembler.end().map((chunk) => this.element(chunk));
    this.closed = true;
    return [...frames, this.array.close()];
  }

  private element(value: unknown): string {
    return this.array.element(JSON.stringify(value));
  }
}
