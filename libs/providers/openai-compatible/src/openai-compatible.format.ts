import { randomUUID } from 'node:crypto';
import type { CanonicalChatRequest, CanonicalChatResponse, CanonicalPart, ImagePart, UpstreamFormat } from '@apitopmix/contracts';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { canonicalStop, canonicalUsage, reasoningOf, toolCallSignature } from './openai-compatible.read';
import { OpenAiCompatibleStreamParser } from './openai-compatible.stream-parser';
import type {
  OpenAiCompatibleRequest,
  OpenAiCompatibleResponse,
  OpenAiUpstreamContentPart,
  OpenAiUpstreamMessage,
  OpenAiUpstreamMessageRead,
  OpenAiUpstreamToolCall,
} from './openai-compatible.types';

/** What the gateway knows about the upstream model beyond the canonical request. */
export interface OpenAiCompatibleTarget {
  /** The id the upstream knows the model by. */
  upstreamModel: string;
  /** The model's output limit: sent when the request sets none, and the most a request's own limit may be. */
  maxOutputTokens?: number;
  /**
   * An OpenAI reasoning model (o-series, gpt-5): takes `max_completion_tokens` (it rejects `max_tokens`) and
   * `reasoning_effort`. Default: guessed from `upstreamModel` (`o1`, `o3-mini`, `o4-mini`, `gpt-5`, `gpt-5-mini`, ...).
   */
  reasoningModel?: boolean;
  /**
   * Send Gemini thought signatures as `extra_content.google.thought_signature` on tool calls: for Google's
   * OpenAI-compatible endpoint only. Other upstreams do not know the field, and OpenAI validates messages strictly.
   */
  thoughtSignatures?: boolean;
}

const reasoningModelPattern = /^(o\d|gpt-5)/i;

/** Fields this format writes from canonical ones: `extensions.openai` may add fields, never replace these. */
const ownedFields = new Set([
  'model',
  'messages',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'stop',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'n',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'reasoning_effort',
  'user',
  'stream',
  'stream_options',
]);

/** A canonical thinking budget as OpenAI's `reasoning_effort`. */
export function reasoningEffortFor(budgetTokens: number): 'low' | 'medium' | 'high' {
  if (budgetTokens <= 2_048) return 'low';
  if (budgetTokens <= 8_192) return 'medium';
  return 'high';
}

/**
 * A canonical request as an OpenAI Chat Completions body, for calling an OpenAI-compatible upstream (OpenAI, NVIDIA
 * NIM, DeepSeek, vLLM) on behalf of a caller that speaks another dialect. The rules are listed in the README.
 */
export function toOpenAiCompatible(request: CanonicalChatRequest, target: OpenAiCompatibleTarget): OpenAiCompatibleRequest {
  const reasoningModel = target.reasoningModel ?? reasoningModelPattern.test(target.upstreamModel);
  const body: OpenAiCompatibleRequest = { model: target.upstreamModel, messages: toMessages(request, target.thoughtSignatures === true) };

  const limit =
    request.maxOutputTokens === undefined
      ? target.maxOutputTokens
      : target.maxOutputTokens === undefined
        ? request.maxOutputTokens
        : Math.min(request.maxOutputTokens, target.maxOutputTokens);
  if (limit !== undefined) body[reasoningModel ? 'max_completion_tokens' : 'max_tokens'] = limit;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty;
  if (request.n !== undefined) body.n = request.n;

  // OpenAI rejects tool_choice and parallel_tool_calls without tools, and an empty tools array.
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function:
        tool.description === undefined
          ? { name: tool.name, parameters: tool.parameters }
          : { name: tool.name, description: tool.description, parameters: tool.parameters },
    }));
    const choice = request.toolChoice;
    if (choice !== undefined) body.tool_choice = choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : choice.type;
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  }

  const format = request.responseFormat;
  if (format?.type === 'json_schema') {
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: format.name ?? 'response', schema: format.schema, ...(format.strict === undefined ? {} : { strict: format.strict }) },
    };
  } else if (format !== undefined) body.response_format = { type: format.type };

  const thinking = request.thinking;
  if (reasoningModel && thinking?.enabled && thinking.budgetTokens !== undefined) body.reasoning_effort = reasoningEffortFor(thinking.budgetTokens);
  if (request.user !== undefined) body.user = request.user;
  if (request.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  for (const [key, value] of Object.entries(request.extensions?.openai ?? {})) if (!ownedFields.has(key) && value !== undefined) body[key] = value;
  return body;
}

/**
 * System parts become one system message first (joined by blank lines: many upstreams accept only a string there).
 * Tool results become one `tool` message each, before whatever else their canonical message holds (OpenAI wants
 * them right after the assistant turn that called the tools). Thinking is never sent (DeepSeek rejects
 * `reasoning_content` in input, and no other upstream reads it).
 */
function toMessages(request: CanonicalChatRequest, thoughtSignatures: boolean): OpenAiUpstreamMessage[] {
  const messages: OpenAiUpstreamMessage[] = [];
  const system = (request.system ?? []).map((part) => part.text).filter((text) => text !== '');
  if (system.length > 0) messages.push({ role: 'system', content: system.join('\n\n') });
  for (const message of request.messages) {
    if (message.role === 'assistant') {
      const assistant = assistantMessage(message.content, thoughtSignatures);
      if (assistant) messages.push(assistant);
      continue;
    }
    const rest: OpenAiUpstreamContentPart[] = [];
    for (const part of message.content) {
      if (part.type === 'tool_result') {
        const content = part.content.map((item) => (item.type === 'text' ? item.text : '[image omitted]')).join('\n');
        messages.push({ role: 'tool', tool_call_id: part.toolCallId, content });
      } else if (part.type === 'text') rest.push({ type: 'text', text: part.text });
      else if (part.type === 'image') rest.push({ type: 'image_url', image_url: { url: imageUrl(part) } });
    }
    if (message.role === 'user' || rest.length > 0) {
      messages.push({ role: 'user', content: rest.length === 0 ? '' : rest.length === 1 && rest[0].type === 'text' ? rest[0].text : rest });
    }
  }
  return messages;
}

/** Texts joined as one string (images and thinking have no place in an OpenAI assistant turn); null when only tool calls. */
function assistantMessage(parts: CanonicalPart[], thoughtSignatures: boolean): OpenAiUpstreamMessage | undefined {
  const texts: string[] = [];
  const toolCalls: OpenAiUpstreamToolCall[] = [];
  for (const part of parts) {
    if (part.type === 'text') texts.push(part.text);
    else if (part.type === 'tool_call') {
      const call: OpenAiUpstreamToolCall = { id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments } };
      if (thoughtSignatures && part.signature !== undefined) call.extra_content = { google: { thought_signature: part.signature } };
      toolCalls.push(call);
    }
  }
  if (texts.length === 0 && toolCalls.length === 0) return undefined;
  const content = texts.length > 0 ? texts.join('') : null;
  return toolCalls.length > 0 ? { role: 'assistant', content, tool_calls: toolCalls } : { role: 'assistant', content };
}

/** A URL as is; inline bytes as a data URL, with the media type sniffed from the bytes when the part has none. */
function imageUrl(part: ImagePart): string {
  if (part.data === undefined) return part.url ?? '';
  return `data:${part.mediaType ?? sniffImageType(part.data)};base64,${part.data}`;
}

const signatures: [string, string][] = [
  ['iVBORw0KGgo', 'image/png'],
  ['/9j/', 'image/jpeg'],
  ['R0lGOD', 'image/gif'],
  ['UklGR', 'image/webp'],
];

function sniffImageType(base64: string): string {
  return signatures.find(([prefix]) => base64.startsWith(prefix))?.[1] ?? 'image/jpeg';
}

/** An upstream `chat.completion` as a canonical answer. */
export function fromOpenAiCompatible(response: OpenAiCompatibleResponse): CanonicalChatResponse {
  if (typeof response !== 'object' || response === null || !Array.isArray(response.choices)) {
    throw new GatewayError(ErrorCode.UpstreamUnavailable, 'The upstream provider sent a response without choices.');
  }
  return {
    id: response.id ?? '',
    model: response.model ?? '',
    choices: response.choices.map((choice, i) => ({
      index: choice.index ?? i,
      content: partsOf(choice.message ?? {}),
      ...canonicalStop(choice.finish_reason, choice.stop_reason),
    })),
    usage: canonicalUsage(response.usage) ?? { inputTokens: 0, outputTokens: 0 },
  };
}

/** Thinking first, then text (a refusal is the answer's text), then tool calls. */
function partsOf(message: OpenAiUpstreamMessageRead): CanonicalPart[] {
  const parts: CanonicalPart[] = [];
  const reasoning = reasoningOf(message);
  if (reasoning !== '') parts.push({ type: 'thinking', text: reasoning });
  if (typeof message.content === 'string' && message.content !== '') parts.push({ type: 'text', text: message.content });
  if (typeof message.refusal === 'string' && message.refusal !== '') parts.push({ type: 'text', text: message.refusal });
  for (const call of message.tool_calls ?? []) {
    const part: CanonicalPart = {
      type: 'tool_call',
      id: call.id ?? `call_${randomUUID().replace(/-/g, '')}`,
      name: call.function?.name ?? '',
      arguments: call.function?.arguments ?? '',
    };
    const signature = toolCallSignature(call);
    if (signature !== undefined) part.signature = signature;
    parts.push(part);
  }
  return parts;
}

/** The OpenAI-compatible upstream format: canonical requests out, answers and streams back in. */
export const openAiCompatibleFormat = {
  toUpstream: toOpenAiCompatible,
  fromUpstream: fromOpenAiCompatible,
  streamParser: () => new OpenAiCompatibleStreamParser(),
} satisfies UpstreamFormat<OpenAiCompatibleRequest, OpenAiCompatibleResponse>;
