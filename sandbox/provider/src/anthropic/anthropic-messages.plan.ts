// Decides, with no I/O, what a Messages API reply contains: its content blocks (thinking, text or tool_use), why
// it stopped, and the token counts. The JSON and the streaming renderers both read this plan.
import { countTokens, idFrom, seedFrom, splitTokens, truncateReply } from '../shared/deterministic-text';
import { IMAGE_INPUT_TOKENS, imageMimeTypeOfUrl, UNKNOWN_IMAGE_MIME_TYPE } from '../shared/image-inputs';
import { planReply, type ConversationFacts, type ToolChoice } from '../shared/reply-planner';
import { redactedThinkingData, thinkingSignature } from '../shared/signatures';
import {
  thinkingEnabled,
  turnsOf,
  type AnthropicMessage,
  type ContentBlock,
  type CountTokensRequest,
  type MessagesRequest,
  type Turn,
} from './anthropic-messages.request';

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use';

export type PlannedBlock =
  | { type: 'thinking'; thinking: string; signature: string; pieces: string[] }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'text'; text: string; pieces: string[] }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown>; pieces: string[] };

export interface MessagePlan {
  blocks: PlannedBlock[];
  stopReason: StopReason;
  stopSequence: string | null;
  inputTokens: number;
  outputTokens: number;
}

/**
 * Anthropic's documented test string: a request containing it gets its thinking back as a `redacted_thinking`
 * block, so clients can prove they pass encrypted thinking through untouched.
 */
export const REDACTED_THINKING_TRIGGER = 'ANTHROPIC_MAGIC_STRING_TRIGGER_REDACTED_THINKING_46C9A13E193C177646C7398A98432ECCCE4C1253';

const TOKENS_PER_MESSAGE = 3;
const TOKENS_REPLY_PRIMING = 3;

export function planMessage(request: MessagesRequest): MessagePlan {
  const facts = conversationFacts(request);
  const { thinking, reply } = planReply(facts);
  const blocks: PlannedBlock[] = [];
  let outputTokens = 0;

  if (thinking !== null) {
    if (facts.subject.includes(REDACTED_THINKING_TRIGGER)) {
      const data = redactedThinkingData(facts.seed);
      blocks.push({ type: 'redacted_thinking', data });
      outputTokens += countTokens(data);
    } else {
      const pieces = splitTokens(thinking);
      blocks.push({ type: 'thinking', thinking, signature: thinkingSignature(thinking), pieces });
      outputTokens += pieces.length;
    }
  }

  if (reply.kind === 'tool_call') {
    const pieces = splitTokens(JSON.stringify(reply.arguments));
    blocks.push({ type: 'tool_use', id: `toolu_01${idFrom(22, facts.seed)}`, name: reply.name, input: reply.arguments, pieces });
    outputTokens += pieces.length;
    return { blocks, stopReason: 'tool_use', stopSequence: null, inputTokens: countInputTokens(request), outputTokens };
  }

  // max_tokens bounds everything generated, thinking included.
  const maxTokens = Math.max(0, request.max_tokens - outputTokens);
  const text = truncateReply(reply.text, { stop: request.stop_sequences, maxTokens });
  blocks.push({ type: 'text', text: text.text, pieces: text.pieces });
  outputTokens += text.pieces.length;
  const stopReason: StopReason = text.reason === 'length' ? 'max_tokens' : text.stopSequence !== null ? 'stop_sequence' : 'end_turn';
  return { blocks, stopReason, stopSequence: text.stopSequence, inputTokens: countInputTokens(request), outputTokens };
}

export function conversationFacts(request: MessagesRequest): ConversationFacts {
  const turns = turnsOf(request.messages);
  const last = turns[turns.length - 1];
  const lastUser = [...turns].reverse().find((turn) => turn.role === 'user') as Turn;
  const previous = turns[turns.length - 2];
  return {
    subject: lastUser.blocks.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n'),
    imageMimeTypes: lastUser.blocks.flatMap((b) => (b.type === 'image' ? [imageMimeType(b)] : [])),
    endsWithUser: last.role === 'user',
    toolResults:
      last.role === 'user'
        ? last.blocks.flatMap((b) => (b.type === 'tool_result' ? [{ name: toolNameOf(previous, b.tool_use_id), content: toolResultText(b.content) }] : []))
        : [],
    tools: (request.tools ?? []).flatMap((tool) => (tool.input_schema !== undefined ? [{ name: tool.name, schema: tool.input_schema }] : [])),
    toolChoice: toolChoiceOf(request.tool_choice),
    thinking: thinkingEnabled(request),
    seed: seedFrom(request.messages, request.system ?? null),
  };
}

function toolChoiceOf(choice: MessagesRequest['tool_choice']): ToolChoice {
  switch (choice?.type) {
    case 'none':
      return { mode: 'none' };
    case 'any':
      return { mode: 'required' };
    case 'tool':
      return { mode: 'required', name: choice.name };
    default:
      return { mode: 'auto' };
  }
}

function toolNameOf(turn: Turn | undefined, toolUseId: string): string {
  const use = turn?.blocks.find((b) => b.type === 'tool_use' && b.id === toolUseId);
  return use?.type === 'tool_use' ? use.name : 'unknown';
}

type ToolResultContent = Extract<ContentBlock, { type: 'tool_result' }>['content'];

function toolResultText(content: ToolResultContent): string {
  if (content === undefined) return '';
  if (typeof content === 'string') return content;
  return content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');
}

function imageMimeType(block: Extract<ContentBlock, { type: 'image' }>): string {
  const source = block.source;
  if (source.type === 'base64') return source.media_type;
  if (source.type === 'url') return imageMimeTypeOfUrl(source.url);
  return UNKNOWN_IMAGE_MIME_TYPE;
}

/**
 * Input tokens: 3 priming + the system prompt's text + for each message 3 framing + its blocks (text, thinking and
 * tool-result text as sandbox tokens; 85 per image; tool_use as its name and JSON input; other blocks as their
 * JSON) + the tool definitions as JSON.
 */
export function countInputTokens(request: CountTokensRequest | MessagesRequest): number {
  let total = TOKENS_REPLY_PRIMING;
  if (typeof request.system === 'string') total += countTokens(request.system);
  else for (const block of request.system ?? []) total += countTokens(block.text);
  for (const message of request.messages as AnthropicMessage[]) {
    total += TOKENS_PER_MESSAGE;
    const blocks = typeof message.content === 'string' ? [{ type: 'text' as const, text: message.content }] : message.content;
    for (const block of blocks) total += blockTokens(block);
  }
  if (request.tools) total += countTokens(JSON.stringify(request.tools));
  return total;
}

function blockTokens(block: ContentBlock): number {
  switch (block.type) {
    case 'text':
      return countTokens(block.text);
    case 'image':
      return IMAGE_INPUT_TOKENS;
    case 'thinking':
      return countTokens(block.thinking);
    case 'redacted_thinking':
      return countTokens(block.data);
    case 'tool_use':
      return countTokens(`${block.name} ${JSON.stringify(block.input)}`);
    case 'tool_result':
      if (typeof block.content !== 'object') return countTokens(block.content ?? '');
      return block.content.reduce((sum, b) => sum + blockTokens(b as ContentBlock), 0);
    default:
      return countTokens(JSON.stringify(block));
  }
}
