import type { CanonicalStopReason, CanonicalStreamEvent, CanonicalUsage, StreamRenderer } from '@apitopmix/contracts';
import { errorCodeInfo, isErrorCode } from '@apitopmix/platform/errors';
import { anthropicErrorType } from './anthropic-errors';
import { mintAnthropicId } from './anthropic-ids';
import { toAnthropicStopReason, toAnthropicUsage } from './anthropic-messages.from-canonical';

/** Response headers of an Anthropic stream. */
export const anthropicSseHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

/** One server-sent event in Anthropic's framing: the event name twice, as `event:` and as the payload's `type`. */
export function anthropicSseFrame(event: string, data: Record<string, unknown>): string {
  return `event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`;
}

interface Block {
  /** Anthropic's index: contiguous from 0, in the order blocks start. */
  index: number;
  open: boolean;
}

/**
 * Renders a canonical stream as Anthropic's: message_start, ping, then content blocks one at a time
 * (content_block_start / _delta / _stop), message_delta with the stop reason and usage, message_stop.
 *
 * Canonical streams from OpenAI-shaped upstreams arrive in another order, and this renderer absorbs it:
 * - message_start waits for the first event after `start`, so input tokens known by then are in it (else 0);
 * - a block that starts while another is open closes that one first (Anthropic's blocks never overlap), and a
 *   text or thinking delta for a block so closed continues in a new block;
 * - `finish` closes any open block; message_delta follows the first usage after `finish`, or the stream's end;
 * - only choice 0 is rendered.
 * An `error` event becomes Anthropic's `event: error` and ends the stream: nothing follows it, not even at end().
 */
export class AnthropicStreamRenderer implements StreamRenderer {
  private readonly id = mintAnthropicId('msg');
  private started = false;
  private done = false;
  private usage?: CanonicalUsage;
  private finish?: { stopReason: CanonicalStopReason; stopSequence?: string };
  private readonly blocks = new Map<number, Block>();
  private nextIndex = 0;
  private current?: Block;

  constructor(private readonly context: { model: string; includeUsage?: boolean }) {}

  render(event: CanonicalStreamEvent): string[] {
    if (this.done) return [];
    switch (event.type) {
      case 'start':
        return [];
      case 'usage':
        this.usage = event.usage;
        if (!this.started) return this.start();
        return this.finish ? this.close() : [];
      case 'error':
        this.done = true;
        return [anthropicSseFrame('error', { error: { type: errorTypeFor(event.code), message: event.message } })];
      default:
        break;
    }
    if (event.choice !== 0) return [];
    const frames = this.start();
    switch (event.type) {
      case 'block_start': {
        frames.push(...this.closeCurrent());
        const block = this.open(event.index);
        const contentBlock =
          event.block.type === 'tool_call'
            ? {
                type: 'tool_use',
                id: event.block.id || mintAnthropicId('toolu'),
                name: event.block.name,
                input: {},
                ...(event.block.signature ? { signature: event.block.signature } : {}),
              }
            : event.block.type === 'thinking'
              ? { type: 'thinking', thinking: '', signature: '' }
              : { type: 'text', text: '' };
        frames.push(anthropicSseFrame('content_block_start', { index: block.index, content_block: contentBlock }));
        break;
      }
      case 'text_delta':
      case 'thinking_delta': {
        const kind = event.type === 'text_delta' ? 'text' : 'thinking';
        let block = this.blocks.get(event.index);
        if (!block || !block.open) {
          frames.push(...this.closeCurrent());
          block = this.open(event.index);
          frames.push(
            anthropicSseFrame('content_block_start', {
              index: block.index,
              content_block: kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' },
            }),
          );
        }
        const delta = event.type === 'text_delta' ? { type: 'text_delta', text: event.text } : { type: 'thinking_delta', thinking: event.text };
        frames.push(anthropicSseFrame('content_block_delta', { index: block.index, delta }));
        break;
      }
      case 'signature_delta': {
        const block = this.blocks.get(event.index);
        if (block)
          frames.push(anthropicSseFrame('content_block_delta', { index: block.index, delta: { type: 'signature_delta', signature: event.signature } }));
        break;
      }
      case 'tool_arguments_delta': {
        // A tool call cannot be restarted: late arguments go to its own index, where SDKs accumulate by index.
        const block = this.blocks.get(event.index);
        if (block) frames.push(anthropicSseFrame('content_block_delta', { index: block.index, delta: { type: 'input_json_delta', partial_json: event.json } }));
        break;
      }
      case 'block_stop': {
        const block = this.blocks.get(event.index);
        if (block && block === this.current) frames.push(...this.closeCurrent());
        break;
      }
      case 'finish':
        frames.push(...this.closeCurrent());
        this.finish = { stopReason: event.stopReason, stopSequence: event.stopSequence };
        break;
    }
    return frames;
  }

  end(): string[] {
    if (this.done) return [];
    return [...this.start(), ...this.close()];
  }

  private start(): string[] {
    if (this.started) return [];
    this.started = true;
    const message = {
      id: this.id,
      type: 'message',
      role: 'assistant',
      model: this.context.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: toAnthropicUsage(this.usage),
    };
    return [anthropicSseFrame('message_start', { message }), anthropicSseFrame('ping', {})];
  }

  private open(canonicalIndex: number): Block {
    const block: Block = { index: this.nextIndex++, open: true };
    this.blocks.set(canonicalIndex, block);
    this.current = block;
    return block;
  }

  private closeCurrent(): string[] {
    const block = this.current;
    if (!block) return [];
    block.open = false;
    this.current = undefined;
    return [anthropicSseFrame('content_block_stop', { index: block.index })];
  }

  private close(): string[] {
    this.done = true;
    const frames = this.closeCurrent();
    const usage = toAnthropicUsage(this.usage);
    const deltaUsage = this.usage
      ? { input_tokens: usage.input_tokens, cache_read_input_tokens: usage.cache_read_input_tokens, output_tokens: usage.output_tokens }
      : { output_tokens: 0 };
    frames.push(
      anthropicSseFrame('message_delta', { delta: toAnthropicStopReason(this.finish?.stopReason ?? 'stop', this.finish?.stopSequence), usage: deltaUsage }),
    );
    frames.push(anthropicSseFrame('message_stop', {}));
    return frames;
  }
}

function errorTypeFor(code: string): string {
  return isErrorCode(code) ? anthropicErrorType(errorCodeInfo[code].status) : 'api_error';
}
