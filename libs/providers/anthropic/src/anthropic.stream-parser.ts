import type { CanonicalStreamEvent, CanonicalUsage, StreamParser } from '@apitopmix/contracts';
import { ErrorCode } from '@apitopmix/platform/errors';
import { anthropicStreamError } from './anthropic.errors';
import { fromAnthropicStopReason, fromAnthropicUsage } from './anthropic.response';
import type { AnthropicUsage } from './anthropic.types';

interface StreamPayload {
  type?: string;
  index?: number;
  message?: { id?: string; model?: string; usage?: AnthropicUsage };
  content_block?: { type?: string; id?: string; name?: string; text?: string; thinking?: string; signature?: string; input?: unknown };
  delta?: {
    type?: string;
    text?: string;
    partial_json?: string;
    thinking?: string;
    signature?: string;
    stop_reason?: string | null;
    stop_sequence?: string | null;
  };
  usage?: AnthropicUsage;
}

/**
 * Anthropic's stream as canonical events: message_start gives `start` and the input usage; content blocks keep
 * Anthropic's indexes; message_delta gives `finish` then the final usage; an `error` event becomes a canonical error
 * (wording withheld as for HTTP errors); ping and unknown events are ignored. Blocks with no canonical stream form
 * (redacted_thinking, server tool blocks) are skipped with all their deltas. A body that ends before message_delta
 * owes an error: the message is incomplete.
 */
export class AnthropicStreamParser implements StreamParser {
  private usage: AnthropicUsage = {};
  private readonly skipped = new Set<number>();
  private finished = false;
  private failed = false;

  constructor(private readonly provider = 'anthropic') {}

  push(event: { event?: string; data: string }): CanonicalStreamEvent[] {
    if (this.failed) return [];
    let payload: StreamPayload;
    try {
      payload = JSON.parse(event.data) as StreamPayload;
    } catch {
      return this.fail(ErrorCode.UpstreamUnavailable, `The upstream provider (${this.provider}) sent an unreadable stream.`);
    }
    const index = payload.index ?? 0;
    switch (payload.type ?? event.event) {
      case 'message_start': {
        this.usage = { ...payload.message?.usage };
        return [
          { type: 'start', id: payload.message?.id ?? '', model: payload.message?.model ?? '' },
          { type: 'usage', usage: fromAnthropicUsage(this.usage) },
        ];
      }
      case 'content_block_start':
        return this.blockStart(index, payload.content_block ?? {});
      case 'content_block_delta': {
        if (this.skipped.has(index)) return [];
        const delta = payload.delta ?? {};
        switch (delta.type) {
          case 'text_delta':
            return [{ type: 'text_delta', choice: 0, index, text: delta.text ?? '' }];
          case 'input_json_delta':
            return [{ type: 'tool_arguments_delta', choice: 0, index, json: delta.partial_json ?? '' }];
          case 'thinking_delta':
            return [{ type: 'thinking_delta', choice: 0, index, text: delta.thinking ?? '' }];
          case 'signature_delta':
            return [{ type: 'signature_delta', choice: 0, index, signature: delta.signature ?? '' }];
          default:
            return [];
        }
      }
      case 'content_block_stop':
        return this.skipped.has(index) ? [] : [{ type: 'block_stop', choice: 0, index }];
      case 'message_delta': {
        this.finished = true;
        // message_delta's counts are cumulative totals: they replace those of message_start where present.
        for (const [key, value] of Object.entries(payload.usage ?? {}))
          if (value !== null && value !== undefined) (this.usage as Record<string, unknown>)[key] = value;
        const finish: CanonicalStreamEvent = { type: 'finish', choice: 0, stopReason: fromAnthropicStopReason(payload.delta?.stop_reason) };
        if (typeof payload.delta?.stop_sequence === 'string') finish.stopSequence = payload.delta.stop_sequence;
        return [finish, { type: 'usage', usage: fromAnthropicUsage(this.usage) satisfies CanonicalUsage }];
      }
      case 'error': {
        const error = anthropicStreamError(this.provider, event.data);
        return this.fail(error.code, error.message);
      }
      default:
        return [];
    }
  }

  end(): CanonicalStreamEvent[] {
    if (this.failed || this.finished) return [];
    return this.fail(ErrorCode.UpstreamUnavailable, `The upstream provider (${this.provider}) ended the stream before the message was complete.`);
  }

  private blockStart(index: number, block: NonNullable<StreamPayload['content_block']>): CanonicalStreamEvent[] {
    switch (block.type) {
      case 'text': {
        const events: CanonicalStreamEvent[] = [{ type: 'block_start', choice: 0, index, block: { type: 'text' } }];
        if (block.text) events.push({ type: 'text_delta', choice: 0, index, text: block.text });
        return events;
      }
      case 'thinking': {
        const events: CanonicalStreamEvent[] = [{ type: 'block_start', choice: 0, index, block: { type: 'thinking' } }];
        if (block.thinking) events.push({ type: 'thinking_delta', choice: 0, index, text: block.thinking });
        if (block.signature) events.push({ type: 'signature_delta', choice: 0, index, signature: block.signature });
        return events;
      }
      case 'tool_use': {
        const events: CanonicalStreamEvent[] = [
          { type: 'block_start', choice: 0, index, block: { type: 'tool_call', id: block.id ?? '', name: block.name ?? '' } },
        ];
        const input = block.input;
        if (input !== null && typeof input === 'object' && Object.keys(input).length > 0)
          events.push({ type: 'tool_arguments_delta', choice: 0, index, json: JSON.stringify(input) });
        return events;
      }
      default:
        this.skipped.add(index);
        return [];
    }
  }

  private fail(code: string, message: string): CanonicalStreamEvent[] {
    this.failed = true;
    return [{ type: 'error', code, message }];
  }
}
