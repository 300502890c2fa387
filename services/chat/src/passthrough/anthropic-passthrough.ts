import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { anthropicStreamError, AnthropicUsage, fromAnthropicUsage } from '@apitopmix/providers/anthropic';
import type { UpstreamUsage } from '@apitopmix/providers/core';
import type { StreamTap } from './stream-tap';

/**
 * Watches Anthropic's stream as it passes, every event forwarded as Anthropic sent it:
 * - usage comes from `message_start` (input, and output so far) and `message_delta` (the running totals), the only
 *   events parsed;
 * - `content_block_delta` events count as content for the estimate of a cut stream;
 * - an `error` event becomes the gateway's error (its wording stays out), which ends the stream in the caller's
 *   dialect;
 * - a stream that ends before `message_stop` was cut off.
 */
export class AnthropicStreamTap implements StreamTap {
  contentChunks = 0;
  events = 0;
  /** message_delta carries the final output count; message_start's is only where the answer began. */
  usageFinal = false;
  private reported?: AnthropicUsage;
  private stopped = false;

  constructor(private readonly provider: string) {}

  get usage(): UpstreamUsage | undefined {
    if (!this.reported) return undefined;
    const { inputTokens, outputTokens } = fromAnthropicUsage(this.reported);
    return { inputTokens, outputTokens };
  }

  process(data: string, event?: string): string | undefined {
    this.events += 1;
    switch (event) {
      case 'content_block_delta':
        this.contentChunks += 1;
        break;
      case 'message_start':
        this.merge((parse(data) as { message?: { usage?: AnthropicUsage } }).message?.usage);
        break;
      case 'message_delta': {
        const usage = (parse(data) as { usage?: AnthropicUsage }).usage;
        this.merge(usage);
        if (usage) this.usageFinal = true;
        break;
      }
      case 'message_stop':
        this.stopped = true;
        break;
      case 'error':
        throw anthropicStreamError(this.provider, data);
    }
    return data;
  }

  end(): void {
    if (!this.stopped) throw new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${this.provider}) ended the stream early.`);
  }

  /** message_delta's counts are cumulative and may omit fields: later values replace earlier ones, absent ones stay. */
  private merge(usage: AnthropicUsage | undefined): void {
    if (!usage) return;
    const merged: AnthropicUsage = { ...this.reported };
    for (const [key, value] of Object.entries(usage)) if (value !== null && value !== undefined) (merged as Record<string, unknown>)[key] = value;
    this.reported = merged;
  }
}

function parse(data: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(data);
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The prompt's text in an Anthropic Messages body, for the estimate when Anthropic reports no usage. */
export function anthropicPromptText(body: { system?: unknown; messages?: unknown }): string {
  const parts: string[] = [];
  const collect = (content: unknown) => {
    if (typeof content === 'string') parts.push(content);
    else if (Array.isArray(content))
      for (const block of content as Record<string, unknown>[]) {
        if (typeof block?.text === 'string') parts.push(block.text);
        else if (block?.type === 'tool_result') collect(block.content);
        else if (block?.type === 'tool_use') parts.push(JSON.stringify(block.input ?? {}));
      }
  };
  collect(body.system);
  if (Array.isArray(body.messages)) for (const message of body.messages as { content?: unknown }[]) collect(message?.content);
  return parts.join('\n');
}
