/**
 * The canonical chat model: the hub every inbound dialect (OpenAI, Anthropic, Gemini) converts to and from, and
 * every upstream format converts from and to. N dialects + M providers, not N×M converters.
 *
 * It is a superset shaped after the most expressive of the three (Anthropic's content blocks), so nothing one
 * dialect can say is lost on the way to another that can say it too. What only one vendor has travels in
 * `extensions` under that vendor's key and is used only when the target speaks that vendor's format.
 *
 * Travels between edge and chat as JSON (WIRE_FORMAT_CANONICAL), so: plain data, no classes, no undefined-only
 * semantics (absent means "not set").
 */

export type CanonicalRole = 'user' | 'assistant' | 'tool';

export interface TextPart {
  type: 'text';
  text: string;
  /** Gemini may sign a text part (thoughtSignature); sent back with it on the next turn when present. */
  signature?: string;
}

/** An image: inline bytes (base64, with media type) or a URL the upstream fetches itself. */
export interface ImagePart {
  type: 'image';
  mediaType?: string;
  data?: string;
  url?: string;
}

/**
 * A model's call of a tool. `arguments` is the JSON text of the arguments, exactly as produced (OpenAI's form;
 * Anthropic's and Gemini's objects are serialised). `signature` carries Gemini's thoughtSignature, which must be
 * sent back with the call on the next turn.
 */
export interface ToolCallPart {
  type: 'tool_call';
  id: string;
  name: string;
  arguments: string;
  signature?: string;
}

/** The result of a tool call, sent back by the client. */
export interface ToolResultPart {
  type: 'tool_result';
  toolCallId: string;
  /** Gemini's functionResponse needs the function's name; OpenAI's tool message does not carry it. */
  name?: string;
  content: (TextPart | ImagePart)[];
  isError?: boolean;
}

/**
 * Model reasoning. `signature` is Anthropic's thinking signature (or Gemini's thoughtSignature on a thought part);
 * `redacted` holds Anthropic's redacted_thinking data instead of text.
 */
export interface ThinkingPart {
  type: 'thinking';
  text: string;
  signature?: string;
  redacted?: string;
}

export type CanonicalPart = TextPart | ImagePart | ToolCallPart | ToolResultPart | ThinkingPart;

export interface CanonicalMessage {
  role: CanonicalRole;
  content: CanonicalPart[];
}

export interface CanonicalTool {
  name: string;
  description?: string;
  /** JSON Schema of the arguments (an object schema). */
  parameters: Record<string, unknown>;
}

export type CanonicalToolChoice = { type: 'auto' } | { type: 'none' } | { type: 'required' } | { type: 'tool'; name: string };

export type CanonicalResponseFormat =
  { type: 'text' } | { type: 'json_object' } | { type: 'json_schema'; name?: string; schema: Record<string, unknown>; strict?: boolean };

export interface CanonicalThinking {
  enabled: boolean;
  /** Tokens the model may spend thinking; absent means the target's default rule decides. */
  budgetTokens?: number;
  /** Whether thoughts are returned to the caller (Gemini's includeThoughts; Anthropic always returns them). */
  includeThoughts?: boolean;
}

export interface CanonicalChatRequest {
  /** The public model id, as the caller named it. */
  model: string;
  /** System instructions, in order (OpenAI system/developer messages, Anthropic `system`, Gemini `systemInstruction`). */
  system?: TextPart[];
  messages: CanonicalMessage[];
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  /** Number of choices (OpenAI `n`, Gemini `candidateCount`). */
  n?: number;
  tools?: CanonicalTool[];
  toolChoice?: CanonicalToolChoice;
  parallelToolCalls?: boolean;
  responseFormat?: CanonicalResponseFormat;
  thinking?: CanonicalThinking;
  stream: boolean;
  /** An end-user id for abuse tracking (OpenAI `user`, Anthropic `metadata.user_id`). */
  user?: string;
  /** Vendor-only fields, by vendor: `{ gemini: { safetySettings } }`, `{ openai: { logprobs, ... } }`. */
  extensions?: Record<string, Record<string, unknown>>;
}

export type CanonicalStopReason = 'stop' | 'length' | 'tool_calls' | 'stop_sequence' | 'content_filter' | 'error';

export interface CanonicalUsage {
  inputTokens: number;
  outputTokens: number;
  /** Of outputTokens, how many were thinking. */
  reasoningTokens?: number;
  /** Of inputTokens, how many were read from the upstream's cache. */
  cachedInputTokens?: number;
  /** True when the gateway counted because the upstream did not. */
  estimated?: boolean;
}

export interface CanonicalChoice {
  index: number;
  content: CanonicalPart[];
  stopReason: CanonicalStopReason;
  /** The stop sequence that ended generation, when the upstream says which. */
  stopSequence?: string;
}

export interface CanonicalChatResponse {
  /** The upstream's response id (dialects mint their own ids for the caller). */
  id: string;
  /** The model that answered, as the upstream names it. */
  model: string;
  choices: CanonicalChoice[];
  usage: CanonicalUsage;
}

/**
 * A stream, as a sequence of events shaped after Anthropic's (the most structured of the three): blocks start,
 * receive deltas, and stop; `choice` is 0 except for OpenAI `n` > 1.
 */
export type CanonicalStreamEvent =
  | { type: 'start'; id: string; model: string }
  | {
      type: 'block_start';
      choice: number;
      index: number;
      block: { type: 'text' } | { type: 'thinking' } | { type: 'tool_call'; id: string; name: string; signature?: string };
    }
  | { type: 'text_delta'; choice: number; index: number; text: string }
  | { type: 'thinking_delta'; choice: number; index: number; text: string }
  | { type: 'signature_delta'; choice: number; index: number; signature: string }
  | { type: 'tool_arguments_delta'; choice: number; index: number; json: string }
  | { type: 'block_stop'; choice: number; index: number }
  | { type: 'finish'; choice: number; stopReason: CanonicalStopReason; stopSequence?: string }
  | { type: 'usage'; usage: CanonicalUsage }
  | { type: 'error'; code: string; message: string };
