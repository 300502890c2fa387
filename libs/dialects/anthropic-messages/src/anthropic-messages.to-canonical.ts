import type { CanonicalChatRequest, CanonicalMessage, CanonicalPart, CanonicalTool, CanonicalToolChoice, ImagePart, TextPart } from '@apitopmix/contracts';
import { GatewayError } from '@apitopmix/platform/errors';
import type { AnthropicMessagesRequest } from './anthropic-messages.request';
import type { AnthropicContentBlockParam, AnthropicImageBlock, AnthropicKnownBlock, AnthropicToolParam } from './anthropic-messages.types';

/** The request fields this dialect translates; any other top-level field travels in `extensions.anthropic`. */
const TRANSLATED_FIELDS = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'stream',
  'tools',
  'tool_choice',
  'thinking',
  'metadata',
]);

/**
 * An Anthropic Messages request as a canonical one. Used when the upstream is not Anthropic (an Anthropic upstream
 * gets the caller's body by pass-through). Rules (README): a user message's `tool_result` blocks become `tool`
 * messages, in order; a tool result is given the name of the call it answers; server tools and unknown top-level
 * fields travel in `extensions.anthropic`; block types with no canonical form (document, search_result, server
 * tool blocks) are refused, naming the block.
 */
export function anthropicToCanonical(request: AnthropicMessagesRequest): CanonicalChatRequest {
  const canonical: CanonicalChatRequest = {
    model: request.model,
    messages: toMessages(request),
    maxOutputTokens: request.max_tokens,
    stream: request.stream === true,
  };

  const system =
    typeof request.system === 'string' ? (request.system ? [{ type: 'text' as const, text: request.system }] : []) : (request.system ?? []).map(toText);
  if (system.length > 0) canonical.system = system;
  if (request.temperature != null) canonical.temperature = request.temperature;
  if (request.top_p != null) canonical.topP = request.top_p;
  if (request.top_k != null) canonical.topK = request.top_k;
  if (request.stop_sequences != null && request.stop_sequences.length > 0) canonical.stop = [...request.stop_sequences];
  if (request.metadata?.user_id != null) canonical.user = request.metadata.user_id;

  const extensions: Record<string, unknown> = {};
  const clientTools: CanonicalTool[] = [];
  const serverTools: AnthropicToolParam[] = [];
  for (const tool of request.tools ?? []) {
    if (tool.type === undefined || tool.type === 'custom') clientTools.push(toTool(tool));
    else serverTools.push(tool);
  }
  if (clientTools.length > 0) canonical.tools = clientTools;
  if (serverTools.length > 0) extensions.tools = serverTools;

  if (request.tool_choice != null) {
    const choice = request.tool_choice;
    canonical.toolChoice = toToolChoice(choice);
    if (choice.disable_parallel_tool_use === true) canonical.parallelToolCalls = false;
  }

  const thinking = request.thinking;
  if (thinking?.type === 'enabled') canonical.thinking = { enabled: true, budgetTokens: thinking.budget_tokens, includeThoughts: true };
  else if (thinking?.type === 'adaptive') canonical.thinking = { enabled: true, includeThoughts: true };
  else if (thinking?.type === 'disabled') canonical.thinking = { enabled: false };

  for (const [key, value] of Object.entries(request)) if (!TRANSLATED_FIELDS.has(key) && value !== undefined) extensions[key] = value;
  if (Object.keys(extensions).length > 0) canonical.extensions = { anthropic: extensions };
  return canonical;
}

function toMessages(request: AnthropicMessagesRequest): CanonicalMessage[] {
  const messages: CanonicalMessage[] = [];
  const toolNames = new Map<string, string>();
  request.messages.forEach((message, i) => {
    if (typeof message.content === 'string') {
      messages.push({ role: message.role, content: [{ type: 'text', text: message.content }] });
      return;
    }
    if (message.content.length === 0) messages.push({ role: message.role, content: [] });
    let group: CanonicalMessage | undefined;
    message.content.forEach((block, j) => {
      const part = toPart(block, `messages.${i}.content.${j}`, message.role, toolNames);
      const role = part.type === 'tool_result' ? 'tool' : message.role;
      if (group?.role !== role) {
        group = { role, content: [] };
        messages.push(group);
      }
      group.content.push(part);
    });
  });
  return messages;
}

function toPart(param: AnthropicContentBlockParam, path: string, role: 'user' | 'assistant', toolNames: Map<string, string>): CanonicalPart {
  const block = param as AnthropicKnownBlock;
  switch (block.type) {
    case 'text':
      return toText(block);
    case 'image':
      return toImage(block);
    case 'tool_use': {
      if (role !== 'assistant') throw GatewayError.invalid(`${path}.type: tool_use blocks are only allowed in assistant messages`, `${path}.type`);
      toolNames.set(block.id, block.name);
      const part: CanonicalPart = { type: 'tool_call', id: block.id, name: block.name, arguments: JSON.stringify(block.input) };
      if (block.signature) part.signature = block.signature;
      return part;
    }
    case 'tool_result': {
      if (role !== 'user') throw GatewayError.invalid(`${path}.type: tool_result blocks are only allowed in user messages`, `${path}.type`);
      const content =
        block.content === undefined
          ? []
          : typeof block.content === 'string'
            ? [{ type: 'text' as const, text: block.content }]
            : block.content.map((inner, k) => toResultPart(inner, `${path}.content.${k}`));
      const part: CanonicalPart = { type: 'tool_result', toolCallId: block.tool_use_id, content };
      const name = toolNames.get(block.tool_use_id);
      if (name !== undefined) part.name = name;
      if (block.is_error !== undefined) part.isError = block.is_error;
      return part;
    }
    case 'thinking':
      return block.signature ? { type: 'thinking', text: block.thinking, signature: block.signature } : { type: 'thinking', text: block.thinking };
    case 'redacted_thinking':
      return { type: 'thinking', text: '', redacted: block.data };
    default:
      throw unsupported(param.type, path);
  }
}

function toResultPart(param: AnthropicContentBlockParam, path: string): TextPart | ImagePart {
  if (param.type === 'text') return toText(param as TextPart);
  if (param.type === 'image') return toImage(param as AnthropicImageBlock);
  throw unsupported(param.type, path);
}

function unsupported(type: string, path: string): GatewayError {
  return GatewayError.invalid(`${path}.type: content blocks of type '${type}' can only be sent to Claude models`, `${path}.type`);
}

function toText(block: { text: string; signature?: string }): TextPart {
  return block.signature ? { type: 'text', text: block.text, signature: block.signature } : { type: 'text', text: block.text };
}

function toImage(block: AnthropicImageBlock): ImagePart {
  const source = block.source;
  return source.type === 'base64' ? { type: 'image', mediaType: source.media_type, data: source.data } : { type: 'image', url: source.url };
}

function toTool(tool: AnthropicToolParam): CanonicalTool {
  const canonical: CanonicalTool = { name: tool.name, parameters: tool.input_schema ?? { type: 'object', properties: {} } };
  if (tool.description !== undefined) canonical.description = tool.description;
  return canonical;
}

function toToolChoice(choice: NonNullable<AnthropicMessagesRequest['tool_choice']>): CanonicalToolChoice {
  switch (choice.type) {
    case 'any':
      return { type: 'required' };
    case 'tool':
      return { type: 'tool', name: choice.name ?? '' };
    case 'none':
      return { type: 'none' };
    default:
      return { type: 'auto' };
  }
}
