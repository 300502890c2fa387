// Decides, with no I/O, what a chat completion contains: each choice's reasoning, text or tool call, why it ended,
// and the token counts. The JSON and the streaming renderers both read this plan, so a streamed reply always
// equals the plain one. What to answer is the shared reply planner's call; this file translates OpenAI's request
// into its facts and its plan into OpenAI's pieces.
import { countTokens, idFrom, seedFrom, splitTokens, truncateReply } from '../shared/deterministic-text';
import { IMAGE_INPUT_TOKENS, imageMimeTypeOfUrl } from '../shared/image-inputs';
import { planReply, type ConversationFacts, type ToolChoice, type ToolResultFact } from '../shared/reply-planner';
import type { ChatCompletionRequest, ChatMessage } from './openai-chat.request';

export type FinishReason = 'stop' | 'length' | 'tool_calls';

export interface PlannedToolCall {
  id: string;
  name: string;
  /** The arguments as the JSON string OpenAI sends. */
  arguments: string;
  /** The arguments split into sandbox tokens: one streamed fragment each. */
  pieces: string[];
}

export interface PlannedChoice {
  index: number;
  /** Null when the choice is a tool call, as OpenAI sends it. */
  content: string | null;
  /** The content split into sandbox tokens: one streamed chunk each. */
  pieces: string[];
  /** DeepSeek-style `reasoning_content` for reasoning models; null otherwise. */
  reasoning: string | null;
  reasoningPieces: string[];
  toolCall: PlannedToolCall | null;
  finishReason: FinishReason;
}

export interface ChatCompletionPlan {
  choices: PlannedChoice[];
  promptTokens: number;
  /** Summed over all choices, as OpenAI bills `n` > 1; reasoning included. */
  completionTokens: number;
  reasoningTokens: number;
  /** Seeds per-chunk details (stream padding) so they are as reproducible as the text. */
  seed: number;
}

// OpenAI's documented chat overhead: about 3 tokens framing each message and 3 priming the reply.
const TOKENS_PER_MESSAGE = 3;
const TOKENS_REPLY_PRIMING = 3;

/**
 * Model ids served as reasoning models, which answer with `reasoning_content` first as DeepSeek and NVIDIA NIM do:
 * ids containing `r1` as a word (`deepseek-r1`, `deepseek-r1-distill-llama-70b`), `thinking` or `reasoner`.
 */
export const REASONING_MODEL_PATTERN = /(?:^|[^a-z0-9])r1(?:$|[^0-9])|thinking|reasoner/i;

export function planChatCompletion(request: ChatCompletionRequest): ChatCompletionPlan {
  const stop = typeof request.stop === 'string' ? [request.stop] : (request.stop ?? []);
  // max_completion_tokens replaced max_tokens; when a client sends both, the newer one is the one it means.
  const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  const facts = conversationFacts(request);

  const choices = Array.from({ length: request.n ?? 1 }, (_, index): PlannedChoice => {
    // Each choice index gets its own seed, so n > 1 yields distinct but reproducible alternatives.
    const { thinking, reply } = planReply(facts, index);
    const reasoningPieces = thinking === null ? [] : splitTokens(thinking);
    if (reply.kind === 'tool_call') {
      const args = JSON.stringify(reply.arguments);
      const toolCall = { id: `call_${idFrom(24, facts.seed, index)}`, name: reply.name, arguments: args, pieces: splitTokens(args) };
      return { index, content: null, pieces: [], reasoning: thinking, reasoningPieces, toolCall, finishReason: 'tool_calls' };
    }
    const { text, pieces, reason } = truncateReply(reply.text, { stop, maxTokens });
    return { index, content: text, pieces, reasoning: thinking, reasoningPieces, toolCall: null, finishReason: reason };
  });

  const reasoningTokens = choices.reduce((sum, c) => sum + c.reasoningPieces.length, 0);
  return {
    choices,
    promptTokens: countPromptTokens(request),
    completionTokens: reasoningTokens + choices.reduce((sum, c) => sum + c.pieces.length + (c.toolCall?.pieces.length ?? 0), 0),
    reasoningTokens,
    seed: facts.seed,
  };
}

export function conversationFacts(request: ChatCompletionRequest): ConversationFacts {
  const { messages } = request;
  const lastUser = [...messages].reverse().find((message) => message.role === 'user');
  // The reply quotes the last user message (the question being answered), or the last message if no user spoke.
  const subjectMessage = lastUser ?? messages[messages.length - 1];
  return {
    subject: messageText(subjectMessage, 'skip'),
    imageMimeTypes: imageUrls(subjectMessage).map(imageMimeTypeOfUrl),
    endsWithUser: messages[messages.length - 1].role === 'user',
    toolResults: trailingToolResults(messages),
    tools: (request.tools ?? []).flatMap((tool) =>
      tool.type === 'function' && tool.function ? [{ name: tool.function.name, schema: tool.function.parameters }] : [],
    ),
    toolChoice: toolChoiceOf(request.tool_choice),
    thinking: REASONING_MODEL_PATTERN.test(request.model),
    seed: seedFrom(messages, request.seed ?? null),
  };
}

function toolChoiceOf(choice: ChatCompletionRequest['tool_choice']): ToolChoice {
  if (choice === 'none') return { mode: 'none' };
  if (choice === 'required') return { mode: 'required' };
  if (typeof choice === 'object' && choice.function?.name) return { mode: 'required', name: choice.function.name };
  return { mode: 'auto' };
}

/** The results of the run of `tool` messages that ends the conversation, named through their call ids. */
function trailingToolResults(messages: readonly ChatMessage[]): ToolResultFact[] {
  let start = messages.length;
  while (start > 0 && messages[start - 1].role === 'tool') start -= 1;
  if (start === messages.length) return [];
  const calls = messages[start - 1]?.tool_calls ?? [];
  return messages.slice(start).map((message) => ({
    name: calls.find((call) => call.id === message.tool_call_id)?.function?.name ?? 'unknown',
    content: messageText(message, 'skip'),
  }));
}

/**
 * Prompt tokens: 3 priming + for each message 3 framing + its text + 85 per image + 1 for a `name` + its tool
 * calls as JSON, plus the tool definitions as JSON. The text uses the same sandbox tokens as the reply (see
 * deterministic-text).
 */
export function countPromptTokens(request: Pick<ChatCompletionRequest, 'messages' | 'tools'>): number {
  let total = TOKENS_REPLY_PRIMING;
  for (const message of request.messages) {
    total += TOKENS_PER_MESSAGE + countTokens(messageText(message)) + IMAGE_INPUT_TOKENS * imageUrls(message).length;
    if (message.name) total += 1;
    if (message.tool_calls) total += countTokens(JSON.stringify(message.tool_calls));
  }
  if (request.tools) total += countTokens(JSON.stringify(request.tools));
  return total;
}

/** The text of a message. Images are left out; other non-text parts (audio, files) count as their JSON, or are skipped. */
export function messageText(message: ChatMessage, nonTextParts: 'as-json' | 'skip' = 'as-json'): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  if (!content) return '';
  const texts = content.map((part) => {
    if (part.type === 'text' && part.text !== undefined) return part.text;
    if (part.type === 'image_url') return undefined;
    return nonTextParts === 'as-json' ? JSON.stringify(part) : undefined;
  });
  return texts.filter((text) => text !== undefined).join('\n');
}

function imageUrls(message: ChatMessage): string[] {
  if (!Array.isArray(message.content)) return [];
  return message.content.flatMap((part) => (part.type === 'image_url' && part.image_url ? [part.image_url.url] : []));
}
