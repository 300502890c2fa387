import type { CanonicalChatRequest, CanonicalChatResponse, CanonicalMessage, CanonicalPart, ImagePart, UpstreamFormat } from '@apitopmix/contracts';
import { GatewayError } from '@apitopmix/platform/errors';
import { fromAnthropicResponse } from './anthropic.response';
import { AnthropicStreamParser } from './anthropic.stream-parser';
import { DEFAULT_MAX_TOKENS, enableThinking } from './anthropic.thinking';
import type { AnthropicImageSource, AnthropicRequestBlock, AnthropicRequestBody, AnthropicRequestMessage, AnthropicResponseBody } from './anthropic.types';

export interface AnthropicUpstreamContext {
  upstreamModel: string;
  /** The model's output limit (the catalog's maxOutputTokens): bounds max_tokens and sets its default. */
  maxOutputTokens?: number;
  /** Set for a `-thinking` variant: the gateway turns thinking on, with this budget unless the caller gave one. */
  thinking?: { budgetTokens?: number };
}

/** Request fields the adapter computes: `extensions.anthropic` can never set them. */
const RESERVED = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'stream',
  'thinking',
  'temperature',
  'top_p',
  'top_k',
  'tools',
  'tool_choice',
  'metadata',
]);

/** Anthropic's maximum temperature; higher values (OpenAI allows 2) are clamped. */
const MAX_TEMPERATURE = 1;

/**
 * A canonical request as Anthropic's. Every rule is in the README; in short: system parts become `system` blocks;
 * `tool` messages become user messages of tool_result blocks, and consecutive messages of one role merge (Anthropic
 * wants user and assistant to alternate, tool results first); temperature above 1 is clamped; `n` > 1 is refused;
 * max_tokens defaults to min(model limit, 4,096) and never exceeds the limit; thinking follows `planThinking`;
 * json_schema becomes `output_config.format`, json_object a system instruction; thinking without a signature
 * (another vendor's) and Gemini signatures are dropped; seed and penalties, which Anthropic lacks, are ignored;
 * when temperature and top_p are both left (thinking removes temperature), top_p is dropped: Claude 4.1 and later
 * refuse both, and OpenAI advises setting one or the other.
 */
export function toAnthropicRequest(request: CanonicalChatRequest, context: AnthropicUpstreamContext): AnthropicRequestBody {
  if (request.n !== undefined && request.n > 1)
    throw GatewayError.invalid(`Invalid value for 'n': Claude models return one choice, so n must be 1 (got ${request.n}).`, 'n');

  const limit = context.maxOutputTokens;
  let maxTokens = request.maxOutputTokens ?? Math.min(limit ?? DEFAULT_MAX_TOKENS, DEFAULT_MAX_TOKENS);
  if (limit !== undefined && maxTokens > limit) maxTokens = limit;

  const body: AnthropicRequestBody = { model: context.upstreamModel, max_tokens: maxTokens, messages: toMessages(request.messages) };

  const system = (request.system ?? []).filter((part) => part.text !== '').map((part) => ({ type: 'text' as const, text: part.text }));
  if (request.responseFormat?.type === 'json_object') system.push({ type: 'text', text: 'Respond with a single valid JSON object and nothing else.' });
  if (system.length > 0) body.system = system;

  if (request.temperature !== undefined) body.temperature = Math.min(request.temperature, MAX_TEMPERATURE);
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.topK !== undefined) body.top_k = request.topK;
  if (request.stop !== undefined && request.stop.length > 0) body.stop_sequences = [...request.stop];
  if (request.stream) body.stream = true;
  if (request.user !== undefined) body.metadata = { user_id: request.user };
  if (request.responseFormat?.type === 'json_schema') body.output_config = { format: { type: 'json_schema', schema: request.responseFormat.schema } };

  const vendor = request.extensions?.anthropic ?? {};
  const tools: Record<string, unknown>[] = (request.tools ?? []).map((tool) => ({
    name: tool.name,
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    input_schema: { type: 'object', ...tool.parameters },
  }));
  if (Array.isArray(vendor.tools)) tools.push(...(vendor.tools as Record<string, unknown>[]));
  if (tools.length > 0) {
    body.tools = tools;
    const choice = toToolChoice(request);
    if (choice) body.tool_choice = choice;
  }
  for (const [key, value] of Object.entries(vendor)) if (!RESERVED.has(key) && body[key] === undefined) body[key] = value;

  const wantsThinking = request.thinking?.enabled === true || (context.thinking !== undefined && request.thinking?.enabled !== false);
  if (wantsThinking) {
    enableThinking(body, { requestedBudget: request.thinking?.budgetTokens ?? context.thinking?.budgetTokens, modelMaxOutputTokens: limit });
  }
  if (body.temperature !== undefined && body.top_p !== undefined) delete body.top_p;
  return body;
}

function toToolChoice(request: CanonicalChatRequest): AnthropicRequestBody['tool_choice'] {
  const noParallel = request.parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  switch (request.toolChoice?.type) {
    case 'none':
      return { type: 'none' };
    case 'required':
      return { type: 'any', ...noParallel };
    case 'tool':
      return { type: 'tool', name: request.toolChoice.name, ...noParallel };
    case 'auto':
      return { type: 'auto', ...noParallel };
    default:
      return request.parallelToolCalls === false ? { type: 'auto', disable_parallel_tool_use: true } : undefined;
  }
}

function toMessages(messages: CanonicalMessage[]): AnthropicRequestMessage[] {
  const out: AnthropicRequestMessage[] = [];
  for (const message of messages) {
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const blocks = message.content.map((part) => toBlock(part, role)).filter((block): block is AnthropicRequestBlock => block !== undefined);
    if (blocks.length === 0) continue;
    const last = out[out.length - 1];
    if (last?.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  }
  // Anthropic wants a user message's tool results before anything else in it.
  for (const message of out) {
    if (message.role === 'user')
      message.content = [...message.content.filter((b) => b.type === 'tool_result'), ...message.content.filter((b) => b.type !== 'tool_result')];
  }
  return out;
}

function toBlock(part: CanonicalPart, role: 'user' | 'assistant'): AnthropicRequestBlock | undefined {
  switch (part.type) {
    case 'text':
      return part.text === '' ? undefined : { type: 'text', text: part.text };
    case 'image':
      return { type: 'image', source: toImageSource(part) };
    case 'tool_call':
      return { type: 'tool_use', id: toToolId(part.id), name: part.name, input: toInput(part.arguments) };
    case 'tool_result': {
      const content = part.content
        .map((inner) =>
          inner.type === 'text'
            ? inner.text === ''
              ? undefined
              : { type: 'text' as const, text: inner.text }
            : { type: 'image' as const, source: toImageSource(inner) },
        )
        .filter((inner) => inner !== undefined);
      return {
        type: 'tool_result',
        tool_use_id: toToolId(part.toolCallId),
        ...(content.length > 0 ? { content } : {}),
        ...(part.isError !== undefined ? { is_error: part.isError } : {}),
      };
    }
    case 'thinking':
      // Only Anthropic's own thinking can go back: signed, or redacted. Unsigned thinking is another vendor's.
      if (role !== 'assistant') return undefined;
      if (part.redacted !== undefined) return { type: 'redacted_thinking', data: part.redacted };
      return part.signature ? { type: 'thinking', thinking: part.text, signature: part.signature } : undefined;
  }
}

const MAGIC: [string, string][] = [
  ['/9j/', 'image/jpeg'],
  ['iVBORw0KGgo', 'image/png'],
  ['R0lGOD', 'image/gif'],
  ['UklGR', 'image/webp'],
];

/** Inline bytes (or a `data:` URL) as a base64 source, a URL as a url source; a missing media type is read from the bytes. */
export function toImageSource(part: ImagePart): AnthropicImageSource {
  const dataUrl = part.url !== undefined ? /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s.exec(part.url) : null;
  const data = dataUrl ? dataUrl[2] : part.data;
  if (data === undefined) return { type: 'url', url: part.url ?? '' };
  const mediaType = part.mediaType ?? dataUrl?.[1] ?? MAGIC.find(([prefix]) => data.startsWith(prefix))?.[1] ?? 'image/png';
  return { type: 'base64', media_type: mediaType, data };
}

/** Anthropic's tool ids match ^[a-zA-Z0-9_-]+$: other characters become `_`, the same way for a call and its result. */
export function toToolId(id: string): string {
  return id === '' ? 'toolu_missing_id' : id.replace(/[^a-zA-Z0-9_-]/g, '_');
}

function toInput(args: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(args);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Anthropic's Messages API as an upstream format; `provider` names it in errors. */
export class AnthropicChatFormat implements UpstreamFormat<AnthropicRequestBody, AnthropicResponseBody> {
  constructor(private readonly provider = 'anthropic') {}

  toUpstream(request: CanonicalChatRequest, context: AnthropicUpstreamContext): AnthropicRequestBody {
    return toAnthropicRequest(request, context);
  }

  fromUpstream(response: AnthropicResponseBody): CanonicalChatResponse {
    return fromAnthropicResponse(response);
  }

  streamParser(): AnthropicStreamParser {
    return new AnthropicStreamParser(this.provider);
  }
}

export const anthropicChatFormat = new AnthropicChatFormat();
