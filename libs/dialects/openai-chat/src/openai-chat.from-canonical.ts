import type { CanonicalChatResponse, CanonicalPart, CanonicalStopReason, CanonicalUsage } from '@apitopmix/contracts';
import { mintOpenAiId, unixSeconds } from './openai-chat.ids';
import type {
  OpenAiChatCompletion,
  OpenAiCompletionUsage,
  OpenAiFinishReason,
  OpenAiResponseMessage,
  OpenAiThinkingBlock,
  OpenAiToolCall,
} from './openai-chat.types';

/**
 * Canonical stop reasons as OpenAI's `finish_reason`. OpenAI has no stop-sequence or error reason: a stop sequence
 * is a normal `stop`, and so is `error` (an upstream that ended generation abnormally but still answered, such as
 * Gemini's MALFORMED_FUNCTION_CALL): a value outside OpenAI's list would break the SDKs' typed clients.
 */
export const openAiFinishReasons: Readonly<Record<CanonicalStopReason, OpenAiFinishReason>> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  stop_sequence: 'stop',
  content_filter: 'content_filter',
  error: 'stop',
};

export function toOpenAiUsage(usage: CanonicalUsage): OpenAiCompletionUsage {
  const out: OpenAiCompletionUsage = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
  if (usage.cachedInputTokens !== undefined) out.prompt_tokens_details = { cached_tokens: usage.cachedInputTokens };
  if (usage.reasoningTokens !== undefined) out.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  return out;
}

/**
 * An answer's parts as an OpenAI assistant message. Texts are joined with nothing between them (an upstream splits
 * one answer into several text blocks around citations and tool calls, mid-sentence); `content` is null when the
 * answer is only tool calls. Thinking goes in the documented extension fields: its text in `reasoning_content`,
 * and, when any thinking part is signed or redacted, every thinking part in `thinking_blocks`, so a client can send
 * them back on the next turn. Images (no OpenAI field) and text signatures are dropped.
 */
export function toOpenAiMessage(parts: CanonicalPart[]): OpenAiResponseMessage {
  const texts: string[] = [];
  const reasoning: string[] = [];
  const blocks: OpenAiThinkingBlock[] = [];
  const toolCalls: OpenAiToolCall[] = [];
  let signedThinking = false;
  for (const part of parts) {
    if (part.type === 'text') texts.push(part.text);
    else if (part.type === 'thinking') {
      if (part.redacted !== undefined) {
        signedThinking = true;
        blocks.push({ type: 'redacted_thinking', data: part.redacted });
        continue;
      }
      reasoning.push(part.text);
      if (part.signature !== undefined) signedThinking = true;
      blocks.push(
        part.signature !== undefined ? { type: 'thinking', thinking: part.text, signature: part.signature } : { type: 'thinking', thinking: part.text },
      );
    } else if (part.type === 'tool_call') {
      const call: OpenAiToolCall = { id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments } };
      if (part.signature !== undefined) call.extra_content = { google: { thought_signature: part.signature } };
      toolCalls.push(call);
    }
  }
  const message: OpenAiResponseMessage = {
    role: 'assistant',
    content: texts.length > 0 ? texts.join('') : toolCalls.length > 0 ? null : '',
    refusal: null,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning.length > 0) message.reasoning_content = reasoning.join('');
  if (signedThinking) message.thinking_blocks = blocks;
  return message;
}

/** A canonical answer as OpenAI's `chat.completion`, under an id the dialect mints and the model the caller named. */
export function openAiChatFromCanonical(response: CanonicalChatResponse, context: { model: string }): OpenAiChatCompletion {
  return {
    id: mintOpenAiId(),
    object: 'chat.completion',
    created: unixSeconds(),
    model: context.model,
    choices: [...response.choices]
      .sort((a, b) => a.index - b.index)
      .map((choice) => ({
        index: choice.index,
        message: toOpenAiMessage(choice.content),
        logprobs: null,
        finish_reason: openAiFinishReasons[choice.stopReason],
      })),
    usage: toOpenAiUsage(response.usage),
  };
}
