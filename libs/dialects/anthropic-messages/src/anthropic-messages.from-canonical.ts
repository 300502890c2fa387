import type { CanonicalChatResponse, CanonicalPart, CanonicalStopReason, CanonicalUsage } from '@apitopmix/contracts';
import { mintAnthropicId } from './anthropic-ids';
import type { AnthropicMessagesResponse, AnthropicResponseBlock, AnthropicStopReason, AnthropicUsage } from './anthropic-messages.types';

const STOP_REASONS: Record<CanonicalStopReason, AnthropicStopReason> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  stop_sequence: 'stop_sequence',
  content_filter: 'refusal',
  // The upstream ended abnormally but answered: Anthropic has no such reason, and end_turn is what its SDKs expect.
  error: 'end_turn',
};

/** Anthropic's stop_reason (and stop_sequence) for a canonical one; a named stop sequence always means `stop_sequence`. */
export function toAnthropicStopReason(reason: CanonicalStopReason, stopSequence?: string): { stop_reason: AnthropicStopReason; stop_sequence: string | null } {
  if (stopSequence !== undefined && (reason === 'stop' || reason === 'stop_sequence')) return { stop_reason: 'stop_sequence', stop_sequence: stopSequence };
  return { stop_reason: STOP_REASONS[reason], stop_sequence: null };
}

/**
 * Anthropic's usage from canonical usage. Canonical input counts every prompt token, cached ones included;
 * Anthropic's `input_tokens` excludes those read from the cache, which it reports apart. The canonical model does
 * not know cache writes: `cache_creation_input_tokens` is 0 and such tokens are in `input_tokens`.
 */
export function toAnthropicUsage(usage: CanonicalUsage | undefined): AnthropicUsage {
  const cached = usage?.cachedInputTokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.inputTokens ?? 0) - cached),
    output_tokens: usage?.outputTokens ?? 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}

/**
 * A tool call's `input` object from canonical argument text. Anthropic's `input` is always an object: empty text,
 * text that is not JSON (a call cut off by max_tokens) and JSON that is not an object all become `{}`.
 */
export function toToolInput(args: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(args);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** One canonical part as a response block; parts Anthropic cannot answer with (images, tool results) have none. */
export function toResponseBlock(part: CanonicalPart): AnthropicResponseBlock | undefined {
  switch (part.type) {
    case 'text':
      return part.signature ? { type: 'text', text: part.text, signature: part.signature } : { type: 'text', text: part.text };
    case 'tool_call': {
      const block: AnthropicResponseBlock = { type: 'tool_use', id: part.id || mintAnthropicId('toolu'), name: part.name, input: toToolInput(part.arguments) };
      if (part.signature) block.signature = part.signature;
      return block;
    }
    case 'thinking':
      // Thinking without a signature (another vendor's reasoning) gets an empty one: the block shape requires it.
      return part.redacted !== undefined
        ? { type: 'redacted_thinking', data: part.redacted }
        : { type: 'thinking', thinking: part.text, signature: part.signature ?? '' };
    default:
      return undefined;
  }
}

/**
 * A canonical response as Anthropic's Message object. The id is minted here (`msg_…`) whatever the upstream's, and
 * `model` is the id the caller sent. Only choice 0 is rendered: Anthropic has no `n`.
 */
export function anthropicFromCanonical(response: CanonicalChatResponse, context: { model: string }): AnthropicMessagesResponse {
  const choice = response.choices.find((c) => c.index === 0) ?? response.choices[0];
  const content = (choice?.content ?? []).map(toResponseBlock).filter((block): block is AnthropicResponseBlock => block !== undefined);
  return {
    id: mintAnthropicId('msg'),
    type: 'message',
    role: 'assistant',
    model: context.model,
    content,
    ...toAnthropicStopReason(choice?.stopReason ?? 'stop', choice?.stopSequence),
    usage: toAnthropicUsage(response.usage),
  };
}
