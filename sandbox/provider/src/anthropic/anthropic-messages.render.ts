// Renders a plan as Anthropic's Message object and as its stream of server-sent events, field for field and in
// the order the real API sends them.
import type { MessagePlan, PlannedBlock, StopReason } from './anthropic-messages.plan';

export interface MessageMeta {
  id: string;
  model: string;
}

export interface Usage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

export type ContentBlockOut =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface Message {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ContentBlockOut[];
  stop_reason: StopReason | null;
  stop_sequence: string | null;
  usage: Usage;
}

/** One server-sent event: its `event:` name is its `type`. */
export type StreamEvent =
  | { type: 'message_start'; message: Message }
  | { type: 'content_block_start'; index: number; content_block: ContentBlockOut }
  | { type: 'ping' }
  | { type: 'content_block_delta'; index: number; delta: BlockDelta }
  | { type: 'content_block_stop'; index: number }
  | {
      type: 'message_delta';
      delta: { stop_reason: StopReason; stop_sequence: string | null };
      usage: { output_tokens: number };
    }
  | { type: 'message_stop' };

export type BlockDelta =
  | { type: 'text_delta'; text: string }
  | { type: 'input_json_delta'; partial_json: string }
  | { type: 'thinking_delta'; thinking: string }
  | { type: 'signature_delta'; signature: string };

function usage(plan: MessagePlan, outputTokens: number): Usage {
  return {
    input_tokens: plan.inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: outputTokens,
  };
}

function blockOut(block: PlannedBlock): ContentBlockOut {
  switch (block.type) {
    case 'thinking':
      return { type: 'thinking', thinking: block.thinking, signature: block.signature };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: block.data };
    case 'text':
      return { type: 'text', text: block.text };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: block.input };
  }
}

export function renderMessage(plan: MessagePlan, meta: MessageMeta): Message {
  return {
    id: meta.id,
    type: 'message',
    role: 'assistant',
    model: meta.model,
    content: plan.blocks.map(blockOut),
    stop_reason: plan.stopReason,
    stop_sequence: plan.stopSequence,
    usage: usage(plan, plan.outputTokens),
  };
}

/** The block as `content_block_start` announces it: empty, to be filled by deltas (redacted thinking comes whole). */
function emptyBlock(block: PlannedBlock): ContentBlockOut {
  switch (block.type) {
    case 'thinking':
      return { type: 'thinking', thinking: '', signature: '' };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: block.data };
    case 'text':
      return { type: 'text', text: '' };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: {} };
  }
}

function blockDeltas(block: PlannedBlock): BlockDelta[] {
  switch (block.type) {
    case 'thinking':
      return [...block.pieces.map((thinking): BlockDelta => ({ type: 'thinking_delta', thinking })), { type: 'signature_delta', signature: block.signature }];
    case 'redacted_thinking':
      return [];
    case 'text':
      return block.pieces.map((text) => ({ type: 'text_delta', text }));
    case 'tool_use':
      // Anthropic opens tool input with an empty fragment, then streams the JSON in pieces.
      return ['', ...block.pieces].map((partial_json) => ({ type: 'input_json_delta', partial_json }));
  }
}

/**
 * The stream as Anthropic sends it: `message_start` (empty content, stop_reason null, output_tokens 1), then per
 * block `content_block_start`, its deltas and `content_block_stop`, with a `ping` after the first block opens,
 * then `message_delta` (stop_reason, stop_sequence, final output_tokens) and `message_stop`.
 */
export function* messageStreamEvents(plan: MessagePlan, meta: MessageMeta): Generator<StreamEvent> {
  yield {
    type: 'message_start',
    message: { ...renderMessage(plan, meta), content: [], stop_reason: null, stop_sequence: null, usage: usage(plan, 1) },
  };
  for (const [index, block] of plan.blocks.entries()) {
    yield { type: 'content_block_start', index, content_block: emptyBlock(block) };
    if (index === 0) yield { type: 'ping' };
    for (const delta of blockDeltas(block)) yield { type: 'content_block_delta', index, delta };
    yield { type: 'content_block_stop', index };
  }
  yield {
    type: 'message_delta',
    delta: { stop_reason: plan.stopReason, stop_sequence: plan.stopSequence },
    usage: { output_tokens: plan.outputTokens },
  };
  yield { type: 'message_stop' };
}
