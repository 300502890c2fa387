/**
 * OpenAI Chat Completions response and stream shapes, as the gateway sends them (OpenAI's OpenAPI spec:
 * CreateChatCompletionResponse, CreateChatCompletionStreamResponse), plus the documented extension fields that
 * carry reasoning (`reasoning_content`, `thinking_blocks`, `extra_content.google.thought_signature`).
 */

/** LiteLLM's convention for Anthropic-style thinking blocks in OpenAI messages. */
export type OpenAiThinkingBlock = { type: 'thinking'; thinking: string; signature?: string } | { type: 'redacted_thinking'; data: string };

/** Google's OpenAI-compatibility convention for a Gemini thought signature on a tool call. */
export interface OpenAiExtraContent {
  google: { thought_signature: string };
}

export interface OpenAiToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
  extra_content?: OpenAiExtraContent;
}

export type OpenAiFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

export interface OpenAiCompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
}

export interface OpenAiResponseMessage {
  role: 'assistant';
  content: string | null;
  refusal: string | null;
  tool_calls?: OpenAiToolCall[];
  /** The thinking text (DeepSeek's field name). */
  reasoning_content?: string;
  /** The thinking blocks with their signatures, when any is signed or redacted. */
  thinking_blocks?: OpenAiThinkingBlock[];
}

export interface OpenAiChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: { index: number; message: OpenAiResponseMessage; logprobs: null; finish_reason: OpenAiFinishReason }[];
  usage: OpenAiCompletionUsage;
}

export interface OpenAiToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
  extra_content?: OpenAiExtraContent;
}

export interface OpenAiChunkDelta {
  role?: 'assistant';
  content?: string;
  refusal?: null;
  reasoning_content?: string;
  thinking_blocks?: OpenAiThinkingBlock[];
  tool_calls?: OpenAiToolCallDelta[];
}

export interface OpenAiChunkChoice {
  index: number;
  delta: OpenAiChunkDelta;
  logprobs: null;
  finish_reason: OpenAiFinishReason | null;
}

export interface OpenAiChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: OpenAiChunkChoice[];
  /** Present (null, then the totals on a last chunk with no choices) only when the caller asked for usage. */
  usage?: OpenAiCompletionUsage | null;
}
