// Decides, with no I/O, what a chat completion contains: each choice's text, why it ended, and the token counts.
// The JSON and the streaming renderers both read this plan, so a streamed reply always equals the plain one.
import {
  composeReply,
  countTokens,
  seedFrom,
  truncateReply,
  type TruncationReason,
} from '../shared/deterministic-text';
import type { ChatCompletionRequest, ChatMessage } from './openai-chat.request';

export interface PlannedChoice {
  index: number;
  content: string;
  /** The content split into sandbox tokens: one streamed chunk each. */
  pieces: string[];
  finishReason: TruncationReason;
}

export interface ChatCompletionPlan {
  choices: PlannedChoice[];
  promptTokens: number;
  /** Summed over all choices, as OpenAI bills `n` > 1. */
  completionTokens: number;
  /** Seeds per-chunk details (stream padding) so they are as reproducible as the text. */
  seed: number;
}

// OpenAI's documented chat overhead: about 3 tokens framing each message and 3 priming the reply.
const TOKENS_PER_MESSAGE = 3;
const TOKENS_REPLY_PRIMING = 3;

export function planChatCompletion(request: ChatCompletionRequest): ChatCompletionPlan {
  const subject = subjectText(request.messages);
  const stop = typeof request.stop === 'string' ? [request.stop] : (request.stop ?? []);
  // max_completion_tokens replaced max_tokens; when a client sends both, the newer one is the one it means.
  const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  const seed = seedFrom(request.messages, request.seed ?? null);

  const choices = Array.from({ length: request.n ?? 1 }, (_, index): PlannedChoice => {
    // Each choice index gets its own seed, so n > 1 yields distinct but reproducible alternatives.
    const reply = composeReply(subject, seedFrom(seed, index));
    const { text, pieces, reason } = truncateReply(reply, { stop, maxTokens });
    return { index, content: text, pieces, finishReason: reason };
  });

  return {
    choices,
    promptTokens: countPromptTokens(request),
    completionTokens: choices.reduce((sum, choice) => sum + choice.pieces.length, 0),
    seed,
  };
}

/**
 * Prompt tokens: 3 priming + for each message 3 framing + its text + 1 for a `name` + its tool calls as JSON,
 * plus the tool definitions as JSON. The text uses the same sandbox tokens as the reply (see deterministic-text).
 */
export function countPromptTokens(request: Pick<ChatCompletionRequest, 'messages' | 'tools'>): number {
  let total = TOKENS_REPLY_PRIMING;
  for (const message of request.messages) {
    total += TOKENS_PER_MESSAGE + countTokens(messageText(message));
    if (message.name) total += 1;
    if (message.tool_calls) total += countTokens(JSON.stringify(message.tool_calls));
  }
  if (request.tools) total += countTokens(JSON.stringify(request.tools));
  return total;
}

/** The text of a message. Non-text parts (images, audio, files) count as their JSON, or are skipped for quoting. */
export function messageText(message: ChatMessage, nonTextParts: 'as-json' | 'skip' = 'as-json'): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  if (!content) return '';
  const texts = content.map((part) => {
    if (part.type === 'text' && part.text !== undefined) return part.text;
    return nonTextParts === 'as-json' ? JSON.stringify(part) : undefined;
  });
  return texts.filter((text) => text !== undefined).join('\n');
}

/** The reply quotes the last user message (the question being answered), or the last message if no user spoke. */
function subjectText(messages: readonly ChatMessage[]): string {
  const lastUser = [...messages].reverse().find((message) => message.role === 'user');
  return messageText(lastUser ?? messages[messages.length - 1], 'skip');
}
