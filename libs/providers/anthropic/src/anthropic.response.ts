import type { CanonicalChatResponse, CanonicalPart, CanonicalStopReason, CanonicalUsage } from '@apitopmix/contracts';
import type { AnthropicResponseBody, AnthropicUsage } from './anthropic.types';

const STOP_REASONS: Record<string, CanonicalStopReason> = {
  end_turn: 'stop',
  max_tokens: 'length',
  stop_sequence: 'stop_sequence',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
  pause_turn: 'stop',
  model_context_window_exceeded: 'length',
};

export function fromAnthropicStopReason(reason: string | null | undefined): CanonicalStopReason {
  return (reason && STOP_REASONS[reason]) || 'stop';
}

/**
 * Anthropic usage as canonical. Anthropic's input_tokens excludes cached tokens, reported apart: canonical input
 * is their sum (cache reads and writes included), with cache reads as cachedInputTokens.
 */
export function fromAnthropicUsage(usage: AnthropicUsage | null | undefined): CanonicalUsage {
  const cacheRead = usage?.cache_read_input_tokens ?? 0;
  const canonical: CanonicalUsage = {
    inputTokens: (usage?.input_tokens ?? 0) + cacheRead + (usage?.cache_creation_input_tokens ?? 0),
    outputTokens: usage?.output_tokens ?? 0,
  };
  if (cacheRead > 0) canonical.cachedInputTokens = cacheRead;
  const thinking = usage?.output_tokens_details?.thinking_tokens;
  if (typeof thinking === 'number') canonical.reasoningTokens = thinking;
  return canonical;
}

/** Anthropic's Message as a canonical response. Server-tool blocks and citations have no canonical form and are left out. */
export function fromAnthropicResponse(response: AnthropicResponseBody): CanonicalChatResponse {
  const content: CanonicalPart[] = [];
  for (const block of response.content ?? []) {
    if (block.type === 'text') content.push({ type: 'text', text: String(block.text) });
    else if (block.type === 'tool_use')
      content.push({ type: 'tool_call', id: String(block.id), name: String(block.name), arguments: JSON.stringify(block.input ?? {}) });
    else if (block.type === 'thinking') content.push({ type: 'thinking', text: String(block.thinking), signature: String(block.signature) });
    else if (block.type === 'redacted_thinking') content.push({ type: 'thinking', text: '', redacted: String(block.data) });
  }
  const choice: CanonicalChatResponse['choices'][0] = { index: 0, content, stopReason: fromAnthropicStopReason(response.stop_reason) };
  if (typeof response.stop_sequence === 'string') choice.stopSequence = response.stop_sequence;
  return { id: response.id, model: response.model, choices: [choice], usage: fromAnthropicUsage(response.usage) };
}
