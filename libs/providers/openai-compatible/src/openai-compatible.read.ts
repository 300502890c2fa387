import type { CanonicalStopReason, CanonicalUsage } from '@apitopmix/contracts';
import type { OpenAiUpstreamMessageRead, OpenAiUpstreamToolCallRead, OpenAiUpstreamUsage } from './openai-compatible.types';

/**
 * Reading what OpenAI-compatible upstreams answer, shared by whole responses and streams. Each upstream names a few
 * things its own way; these accept every spelling known here.
 */

/** Usage with its details: cached prompt tokens (OpenAI's `prompt_tokens_details`, DeepSeek's `prompt_cache_hit_tokens`) and reasoning tokens. */
export function canonicalUsage(usage: OpenAiUpstreamUsage | null | undefined): CanonicalUsage | undefined {
  if (!usage || typeof usage.prompt_tokens !== 'number') return undefined;
  const out: CanonicalUsage = { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens ?? 0 };
  const cached = usage.prompt_tokens_details?.cached_tokens ?? usage.prompt_cache_hit_tokens;
  if (typeof cached === 'number') out.cachedInputTokens = cached;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === 'number') out.reasoningTokens = reasoning;
  return out;
}

/**
 * `finish_reason` as a canonical stop reason. vLLM says which stop string matched (`stop_reason`), which makes a
 * `stop_sequence`; DeepSeek's `insufficient_system_resource` is an `error`; legacy `function_call` is `tool_calls`;
 * anything unknown is a plain `stop`.
 */
export function canonicalStop(finishReason: string | null | undefined, stopReason?: unknown): { stopReason: CanonicalStopReason; stopSequence?: string } {
  switch (finishReason) {
    case 'length':
      return { stopReason: 'length' };
    case 'tool_calls':
    case 'function_call':
      return { stopReason: 'tool_calls' };
    case 'content_filter':
      return { stopReason: 'content_filter' };
    case 'insufficient_system_resource':
      return { stopReason: 'error' };
    case 'stop':
      if (typeof stopReason === 'string' && stopReason !== '') return { stopReason: 'stop_sequence', stopSequence: stopReason };
      return { stopReason: 'stop' };
    default:
      return { stopReason: 'stop' };
  }
}

/** Thinking text: `reasoning_content` (DeepSeek, NIM) or `reasoning` (vLLM, OpenRouter). */
export function reasoningOf(message: OpenAiUpstreamMessageRead): string {
  if (typeof message.reasoning_content === 'string') return message.reasoning_content;
  if (typeof message.reasoning === 'string') return message.reasoning;
  return '';
}

/** Google's `extra_content.google.thought_signature` on a tool call, when an upstream sends one. */
export function toolCallSignature(call: OpenAiUpstreamToolCallRead): string | undefined {
  const signature = call.extra_content?.google?.thought_signature;
  return typeof signature === 'string' && signature !== '' ? signature : undefined;
}
