/**
 * Wire shapes of Anthropic's Messages API as this dialect accepts and answers them (after the API's own reference,
 * `@anthropic-ai/sdk`'s types). Two fields are the gateway's extensions, documented in the README: `signature` on a
 * `text` or `tool_use` block carries a Gemini thought signature through an Anthropic-format client and back.
 */

export interface AnthropicTextBlock {
  type: 'text';
  text: string;
  /** Extension: a Gemini thought signature on a text part. */
  signature?: string;
  cache_control?: unknown;
  citations?: unknown;
}

export interface AnthropicBase64ImageSource {
  type: 'base64';
  media_type: 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';
  data: string;
}

export interface AnthropicUrlImageSource {
  type: 'url';
  url: string;
}

export interface AnthropicImageBlock {
  type: 'image';
  source: AnthropicBase64ImageSource | AnthropicUrlImageSource;
  cache_control?: unknown;
}

export interface AnthropicToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
  /** Extension: a Gemini thought signature on a function call. */
  signature?: string;
  cache_control?: unknown;
}

/** A block type the gateway does not translate (document, search_result, server tool blocks): Anthropic upstreams only. */
export interface AnthropicOtherBlock {
  type: string;
  [field: string]: unknown;
}

export interface AnthropicToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content?: string | (AnthropicTextBlock | AnthropicImageBlock | AnthropicOtherBlock)[];
  is_error?: boolean;
  cache_control?: unknown;
}

export interface AnthropicThinkingBlock {
  type: 'thinking';
  thinking: string;
  signature: string;
}

export interface AnthropicRedactedThinkingBlock {
  type: 'redacted_thinking';
  data: string;
}

export type AnthropicKnownBlock =
  AnthropicTextBlock | AnthropicImageBlock | AnthropicToolUseBlock | AnthropicToolResultBlock | AnthropicThinkingBlock | AnthropicRedactedThinkingBlock;

export type AnthropicContentBlockParam = AnthropicKnownBlock | AnthropicOtherBlock;

export interface AnthropicMessageParam {
  role: 'user' | 'assistant';
  content: string | AnthropicContentBlockParam[];
}

/** A client tool (`type` absent or `custom`), or a server tool (`web_search_20250305`, ...) kept as sent. */
export interface AnthropicToolParam {
  type?: string;
  name: string;
  description?: string;
  input_schema?: Record<string, unknown>;
  [field: string]: unknown;
}

export type AnthropicStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'pause_turn' | 'refusal' | 'model_context_window_exceeded';

export type AnthropicResponseBlock =
  | { type: 'text'; text: string; signature?: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown>; signature?: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string };

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** The Message object `/v1/messages` answers with. */
export interface AnthropicMessagesResponse {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicResponseBlock[];
  stop_reason: AnthropicStopReason | null;
  stop_sequence: string | null;
  usage: AnthropicUsage;
}
