// The Messages API request as Anthropic validates it: a strict top level (unknown parameters are refused, as the
// real API does, so a gateway leaking OpenAI fields is caught), typed content blocks, and the conversation rules
// Anthropic enforces beyond the schema: the first turn is the user's, tool results answer the tool uses just before
// them, thinking blocks come back with the signature the sandbox issued, and thinking settings are consistent.
import { z } from 'zod';
import { isBase64 } from '../shared/image-inputs';
import { isValidRedactedThinkingData, isValidThinkingSignature } from '../shared/signatures';
import { AnthropicError } from './anthropic-error';
import { parseAnthropicJsonBody } from './anthropic-validation';

const cacheControl = z.looseObject({ type: z.string() }).nullish();

const textBlock = z.looseObject({ type: z.literal('text'), text: z.string(), cache_control: cacheControl });

const imageBlock = z.looseObject({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    z.looseObject({
      type: z.literal('base64'),
      media_type: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']),
      data: z.string(),
    }),
    z.looseObject({ type: z.literal('url'), url: z.string() }),
    z.looseObject({ type: z.literal('file'), file_id: z.string() }),
  ]),
  cache_control: cacheControl,
});

const documentBlock = z.looseObject({ type: z.literal('document'), source: z.looseObject({ type: z.string() }) });
const searchResultBlock = z.looseObject({ type: z.literal('search_result') });

const toolUseBlock = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string().regex(/^[a-zA-Z0-9_-]+$/),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  cache_control: cacheControl,
});

const toolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().regex(/^[a-zA-Z0-9_-]+$/),
  content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textBlock, imageBlock, documentBlock, searchResultBlock]))]).optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl,
});

const thinkingBlock = z.looseObject({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() });
const redactedThinkingBlock = z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() });
const serverToolUseBlock = z.looseObject({ type: z.literal('server_tool_use') });
const webSearchResultBlock = z.looseObject({ type: z.literal('web_search_tool_result') });

const contentBlock = z.discriminatedUnion('type', [
  textBlock,
  imageBlock,
  documentBlock,
  searchResultBlock,
  toolUseBlock,
  toolResultBlock,
  thinkingBlock,
  redactedThinkingBlock,
  serverToolUseBlock,
  webSearchResultBlock,
]);

const messageSchema = z.strictObject({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(contentBlock)]),
});

const toolSchema = z.looseObject({
  /** Absent or `custom` for client tools; server tools (`web_search_20250305`, ...) name their own type. */
  type: z.string().optional(),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,128}$/),
  description: z.string().optional(),
  input_schema: z.looseObject({ type: z.literal('object') }).optional(),
});

const toolChoiceSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.strictObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.strictObject({ type: z.literal('tool'), name: z.string(), disable_parallel_tool_use: z.boolean().optional() }),
  z.strictObject({ type: z.literal('none') }),
]);

export const MIN_THINKING_BUDGET_TOKENS = 1024;

const thinkingSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('enabled'), budget_tokens: z.number().int().min(MIN_THINKING_BUDGET_TOKENS) }),
  z.strictObject({ type: z.literal('disabled') }),
  z.strictObject({ type: z.literal('adaptive') }),
]);

export const messagesRequestSchema = z.strictObject({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  max_tokens: z.number().int().min(1),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  metadata: z.strictObject({ user_id: z.string().nullish() }).optional(),
  stop_sequences: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  thinking: thinkingSchema.optional(),
  service_tier: z.enum(['auto', 'standard_only']).optional(),
  // Accepted and ignored: newer or beta parameters a gateway may legitimately forward.
  container: z.unknown().optional(),
  context_management: z.unknown().optional(),
  mcp_servers: z.unknown().optional(),
  output_config: z.unknown().optional(),
  output_format: z.unknown().optional(),
  cache_control: z.unknown().optional(),
  inference_geo: z.unknown().optional(),
});

/** `/v1/messages/count_tokens` takes the same conversation, without the generation settings. */
export const countTokensRequestSchema = messagesRequestSchema
  .pick({ model: true, messages: true, system: true, tools: true, tool_choice: true, thinking: true, mcp_servers: true })
  .strict();

export type MessagesRequest = z.infer<typeof messagesRequestSchema>;
export type CountTokensRequest = z.infer<typeof countTokensRequestSchema>;
export type AnthropicMessage = z.infer<typeof messageSchema>;
export type ContentBlock = z.infer<typeof contentBlock>;

/** A message with its content as blocks, and where it sat in the request (for error paths). */
export interface Turn {
  role: 'user' | 'assistant';
  blocks: ContentBlock[];
  /** Index in `messages` of each block's message, and the block's index inside it. */
  origins: Array<{ message: number; block: number }>;
  /** Index of the turn's first message. */
  firstMessage: number;
}

export function parseMessagesRequest(raw: string): MessagesRequest {
  const request = parseAnthropicJsonBody(messagesRequestSchema, raw);
  checkConversation(request);
  // Claude Opus 4.1 and every later model (all the catalog's Claude models) take one sampling control, not both.
  if (request.temperature !== undefined && request.top_p !== undefined) {
    throw AnthropicError.invalidRequest('temperature and top_p cannot both be specified for this model. Please use only one.');
  }
  if (request.thinking?.type === 'enabled' && request.max_tokens <= request.thinking.budget_tokens) {
    throw AnthropicError.invalidRequest(
      '`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at ' +
        'https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size',
    );
  }
  if (thinkingEnabled(request)) checkThinkingCompatibility(request);
  return request;
}

export function parseCountTokensRequest(raw: string): CountTokensRequest {
  const request = parseAnthropicJsonBody(countTokensRequestSchema, raw);
  checkConversation(request);
  return request;
}

export function thinkingEnabled(request: Pick<MessagesRequest, 'thinking'>): boolean {
  return request.thinking?.type === 'enabled' || request.thinking?.type === 'adaptive';
}

export function blocksOf(message: AnthropicMessage): ContentBlock[] {
  return typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
}

/**
 * The conversation as Anthropic reads it: consecutive messages of one role are combined into a single turn (the
 * API accepts them and merges them, so the sandbox does too).
 */
export function turnsOf(messages: readonly AnthropicMessage[]): Turn[] {
  const turns: Turn[] = [];
  messages.forEach((message, index) => {
    let turn = turns[turns.length - 1];
    if (!turn || turn.role !== message.role) {
      turn = { role: message.role, blocks: [], origins: [], firstMessage: index };
      turns.push(turn);
    }
    blocksOf(message).forEach((block, blockIndex) => {
      turn.blocks.push(block);
      turn.origins.push({ message: index, block: blockIndex });
    });
  });
  return turns;
}

function checkConversation(request: Pick<MessagesRequest, 'messages' | 'tools'>): void {
  if (request.messages[0].role !== 'user') {
    throw AnthropicError.invalidRequest('messages: first message must use the "user" role');
  }
  request.tools?.forEach((tool, i) => {
    if ((tool.type === undefined || tool.type === 'custom') && tool.input_schema === undefined) {
      throw AnthropicError.invalidRequest(`tools.${i}.custom.input_schema: Field required`);
    }
  });
  const turns = turnsOf(request.messages);
  turns.forEach((turn) => {
    turn.blocks.forEach((block, b) => {
      const { message, block: index } = turn.origins[b];
      const at = `messages.${message}.content.${index}`;
      if (turn.role === 'user' && (block.type === 'tool_use' || block.type === 'thinking' || block.type === 'redacted_thinking')) {
        throw AnthropicError.invalidRequest(`${at}: \`${block.type}\` blocks can only be in \`assistant\` messages`);
      }
      if (turn.role === 'assistant' && block.type === 'tool_result') {
        throw AnthropicError.invalidRequest(`${at}: \`tool_result\` blocks can only be in \`user\` messages`);
      }
      if (block.type === 'image' && block.source.type === 'base64' && !isBase64(block.source.data)) {
        throw AnthropicError.invalidRequest(`${at}.image.source.base64.data: The image data is not valid base64`);
      }
      // Thinking comes back exactly as the sandbox issued it, or it is refused, as Anthropic refuses it.
      if (block.type === 'thinking' && !isValidThinkingSignature(block.thinking, block.signature)) {
        throw AnthropicError.invalidRequest(`${at}: Invalid \`signature\` in \`thinking\` block`);
      }
      if (block.type === 'redacted_thinking' && !isValidRedactedThinkingData(block.data)) {
        throw AnthropicError.invalidRequest(`${at}: Invalid \`data\` in \`redacted_thinking\` block`);
      }
    });
  });
  // Results that answer nothing are reported before calls left unanswered, as the clearer of the two mistakes.
  turns.forEach((turn, t) => turn.role === 'user' && checkToolResults(turns, t));
  turns.forEach((turn, t) => turn.role === 'assistant' && checkToolUsesAnswered(turns, t));
}

/** Every tool_result answers a tool_use of the turn just before it. */
function checkToolResults(turns: readonly Turn[], t: number): void {
  const turn = turns[t];
  const previous = t > 0 ? turns[t - 1] : undefined;
  const offered = new Set(previous?.blocks.flatMap((b) => (b.type === 'tool_use' ? [b.id] : [])) ?? []);
  turn.blocks.forEach((block, b) => {
    if (block.type !== 'tool_result' || offered.has(block.tool_use_id)) return;
    throw AnthropicError.invalidRequest(
      `messages.${turn.origins[b].message}.content.${turn.origins[b].block}: unexpected \`tool_use_id\` found in ` +
        `\`tool_result\` blocks: ${block.tool_use_id}. Each \`tool_result\` block must have a corresponding ` +
        '`tool_use` block in the previous message.',
    );
  });
}

/** Every tool_use is answered by a tool_result in the next turn (a trailing assistant turn is a prefill). */
function checkToolUsesAnswered(turns: readonly Turn[], t: number): void {
  const turn = turns[t];
  const next = turns[t + 1];
  if (!next) return;
  const answered = new Set(next.blocks.flatMap((b) => (b.type === 'tool_result' ? [b.tool_use_id] : [])));
  const missing = turn.blocks.flatMap((b) => (b.type === 'tool_use' && !answered.has(b.id) ? [b.id] : []));
  if (missing.length > 0) {
    throw AnthropicError.invalidRequest(
      `messages.${next.firstMessage - 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately ` +
        `after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in ` +
        'the next message.',
    );
  }
}

const EXTENDED_THINKING_DOCS = 'https://docs.claude.com/en/docs/build-with-claude/extended-thinking';

function checkThinkingCompatibility(request: MessagesRequest): void {
  if (request.temperature !== undefined && request.temperature !== 1) {
    throw AnthropicError.invalidRequest(
      '`temperature` may only be set to 1 when thinking is enabled. Please consult our documentation at ' + `${EXTENDED_THINKING_DOCS}#feature-compatibility`,
    );
  }
  if (request.tool_choice?.type === 'any' || request.tool_choice?.type === 'tool') {
    throw AnthropicError.invalidRequest('Thinking may not be enabled when tool_choice forces tool use.');
  }
  // Continuing a tool loop: the assistant turn holding the last tool_use must start with its thinking block.
  const turns = turnsOf(request.messages);
  const last = turns[turns.length - 1];
  const assistant = turns[turns.length - 2];
  if (last.role !== 'user' || !assistant || !last.blocks.some((b) => b.type === 'tool_result')) return;
  const first = assistant.blocks[0];
  if (first && first.type !== 'thinking' && first.type !== 'redacted_thinking') {
    const origin = assistant.origins[0];
    throw AnthropicError.invalidRequest(
      `messages.${origin.message}.content.${origin.block}.type: Expected \`thinking\` or \`redacted_thinking\`, but ` +
        `found \`${first.type}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a ` +
        'thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you ' +
        'include thinking blocks from previous turns. To avoid this requirement, disable `thinking`. Please ' +
        `consult our documentation at ${EXTENDED_THINKING_DOCS}`,
    );
  }
}
