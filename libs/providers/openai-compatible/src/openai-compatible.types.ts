/**
 * The Chat Completions wire shapes this adapter writes and reads (OpenAI's OpenAPI spec: CreateChatCompletionRequest,
 * CreateChatCompletionResponse, CreateChatCompletionStreamResponse). Reads are loose: OpenAI-compatible upstreams
 * (NIM, DeepSeek, vLLM, Ollama) omit fields and add their own (`reasoning_content`, `reasoning`, `stop_reason`).
 */

export type OpenAiUpstreamContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export interface OpenAiUpstreamToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
  /** Google's OpenAI-compatibility field for a Gemini thought signature. */
  extra_content?: { google: { thought_signature: string } };
}

export type OpenAiUpstreamMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | OpenAiUpstreamContentPart[] }
  | { role: 'assistant'; content: string | null; tool_calls?: OpenAiUpstreamToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface OpenAiUpstreamTool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export type OpenAiUpstreamToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export type OpenAiUpstreamResponseFormat =
  { type: 'text' } | { type: 'json_object' } | { type: 'json_schema'; json_schema: { name: string; schema: Record<string, unknown>; strict?: boolean } };

export interface OpenAiCompatibleRequest {
  model: string;
  messages: OpenAiUpstreamMessage[];
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  seed?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  n?: number;
  tools?: OpenAiUpstreamTool[];
  tool_choice?: OpenAiUpstreamToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: OpenAiUpstreamResponseFormat;
  reasoning_effort?: 'low' | 'medium' | 'high';
  user?: string;
  stream?: boolean;
  stream_options?: { include_usage: boolean };
  /** `extensions.openai` fields, merged back. */
  [field: string]: unknown;
}

export interface OpenAiUpstreamUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
  /** DeepSeek's own cache counter. */
  prompt_cache_hit_tokens?: number;
}

export interface OpenAiUpstreamToolCallRead {
  index?: number;
  id?: string | null;
  type?: string | null;
  function?: { name?: string | null; arguments?: string | null } | null;
  extra_content?: { google?: { thought_signature?: unknown } | null } | null;
}

export interface OpenAiUpstreamMessageRead {
  content?: string | null;
  refusal?: string | null;
  /** DeepSeek's and NIM's thinking text. */
  reasoning_content?: string | null;
  /** vLLM's and OpenRouter's name for the same. */
  reasoning?: string | null;
  tool_calls?: OpenAiUpstreamToolCallRead[] | null;
}

export interface OpenAiUpstreamChoice {
  index?: number;
  message?: OpenAiUpstreamMessageRead | null;
  delta?: OpenAiUpstreamMessageRead | null;
  finish_reason?: string | null;
  /** vLLM: the stop string (or token id) that ended generation. */
  stop_reason?: string | number | null;
}

export interface OpenAiCompatibleResponse {
  id?: string;
  model?: string;
  choices?: OpenAiUpstreamChoice[];
  usage?: OpenAiUpstreamUsage | null;
}

/** One `chat.completion.chunk`, or the error object some upstreams send inside a stream. */
export interface OpenAiCompatibleChunk extends OpenAiCompatibleResponse {
  error?: unknown;
}
