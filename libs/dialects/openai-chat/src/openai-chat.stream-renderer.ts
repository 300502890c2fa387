import type { CanonicalStreamEvent, StreamRenderer } from '@apitopmix/contracts';
import { GatewayError, isErrorCode } from '@apitopmix/platform/errors';
import { toOpenAiError } from './openai-errors';
import { openAiFinishReasons, toOpenAiUsage } from './openai-chat.from-canonical';
import { mintOpenAiId, unixSeconds } from './openai-chat.ids';
import type { OpenAiChatCompletionChunk, OpenAiChunkDelta, OpenAiFinishReason } from './openai-chat.types';

type ToolCallDelta = NonNullable<OpenAiChunkDelta['tool_calls']>[number];

interface ToolCallBlock {
  kind: 'tool_call';
  /** The header delta (index, id, type, name, empty arguments). */
  header: ToolCallDelta;
  /** Whether the header has gone out; until then its fragments wait in `held`. */
  sent: boolean;
  held: string[];
  stopped: boolean;
}

interface ChoiceState {
  /** Whether the `role: assistant` chunk has gone out. */
  opened: boolean;
  /** Canonical block index → its kind; for thinking blocks, the text so far (for the signature's entry). */
  blocks: Map<number, { kind: 'text' } | { kind: 'thinking'; text: string } | ToolCallBlock>;
  /** OpenAI numbers a choice's tool calls from 0, apart from its other content. */
  nextToolIndex: number;
  /** The tool call being sent (header out, block not stopped), and the ones waiting behind it. */
  currentTool?: ToolCallBlock;
  waitingTools: ToolCallBlock[];
}

const frame = (payload: unknown) => `data: ${JSON.stringify(payload)}\n\n`;

/**
 * Canonical stream events as OpenAI `chat.completion.chunk` frames, one chunk wherever OpenAI would send one:
 * a `role` chunk opening each choice, `content` deltas, `reasoning_content` deltas for thinking (and, when a
 * thinking block is signed, one `thinking_blocks` entry holding that whole block and its signature), tool calls
 * (`id`, `type`, `name` and empty `arguments` first, then argument fragments), a finish chunk with an empty delta,
 * then the usage chunk (`choices: []`) when the caller asked for it, in which case every earlier chunk carries
 * `usage: null` as OpenAI's do. All chunks share one minted id and `created`. An error event becomes OpenAI's error
 * frame, and the stream then ends without `[DONE]`.
 *
 * Tool calls go out one after the other, as OpenAI's do: the `openai` SDKs take a chunk for a later tool call as
 * the end of the one before (firing its `arguments.done` event, and parsing its arguments for strict tools). So when
 * a canonical stream overlaps two tool-call blocks, the later call (header and fragments) waits until the earlier
 * block stops, or until the choice finishes. Streams whose blocks follow each other (Anthropic's, Gemini's, an
 * OpenAI-compatible upstream's) pass without any wait.
 */
export class OpenAiChatStreamRenderer implements StreamRenderer {
  private readonly id = mintOpenAiId();
  private readonly created = unixSeconds();
  private readonly choices = new Map<number, ChoiceState>();
  private failed = false;

  constructor(private readonly context: { model: string; includeUsage: boolean }) {}

  render(event: CanonicalStreamEvent): string[] {
    switch (event.type) {
      case 'start':
        return this.open(0);
      case 'block_start': {
        const state = this.state(event.choice);
        const out = this.open(event.choice);
        if (event.block.type === 'text') state.blocks.set(event.index, { kind: 'text' });
        else if (event.block.type === 'thinking') state.blocks.set(event.index, { kind: 'thinking', text: '' });
        else {
          const header: ToolCallDelta = {
            index: state.nextToolIndex++,
            id: event.block.id,
            type: 'function',
            function: { name: event.block.name, arguments: '' },
          };
          if (event.block.signature !== undefined) header.extra_content = { google: { thought_signature: event.block.signature } };
          const block: ToolCallBlock = { kind: 'tool_call', header, sent: false, held: [], stopped: false };
          state.blocks.set(event.index, block);
          state.waitingTools.push(block);
          if (!state.currentTool) out.push(...this.sendWaitingTools(event.choice, state, false));
        }
        return out;
      }
      case 'text_delta':
        return event.text === '' ? [] : [...this.open(event.choice), this.chunk(event.choice, { content: event.text })];
      case 'thinking_delta': {
        if (event.text === '') return [];
        const block = this.state(event.choice).blocks.get(event.index);
        if (block?.kind === 'thinking') block.text += event.text;
        return [...this.open(event.choice), this.chunk(event.choice, { reasoning_content: event.text })];
      }
      case 'signature_delta': {
        // Only a thinking block's signature has an OpenAI-side field; a signed text block (Gemini) has none.
        const block = this.state(event.choice).blocks.get(event.index);
        if (block?.kind !== 'thinking') return [];
        return [
          ...this.open(event.choice),
          this.chunk(event.choice, { thinking_blocks: [{ type: 'thinking', thinking: block.text, signature: event.signature }] }),
        ];
      }
      case 'tool_arguments_delta': {
        const block = this.state(event.choice).blocks.get(event.index);
        if (block?.kind !== 'tool_call' || event.json === '') return [];
        if (!block.sent) {
          block.held.push(event.json);
          return [];
        }
        return [this.argumentsChunk(event.choice, block, event.json)];
      }
      case 'block_stop': {
        const state = this.state(event.choice);
        const block = state.blocks.get(event.index);
        if (block?.kind !== 'tool_call') return [];
        block.stopped = true;
        if (state.currentTool !== block) return [];
        state.currentTool = undefined;
        return this.sendWaitingTools(event.choice, state, false);
      }
      case 'finish': {
        const state = this.state(event.choice);
        return [
          ...this.open(event.choice),
          ...this.sendWaitingTools(event.choice, state, true),
          this.chunk(event.choice, {}, openAiFinishReasons[event.stopReason]),
        ];
      }
      case 'usage':
        if (!this.context.includeUsage) return [];
        return [frame({ ...this.envelope(), choices: [], usage: toOpenAiUsage(event.usage) })];
      case 'error':
        this.failed = true;
        return [frame(openAiStreamError(event.code, event.message))];
    }
  }

  end(): string[] {
    if (this.failed) return [];
    // Tool calls still waiting (a stream that never finished its choice) go out before the end.
    const out = [...this.choices].flatMap(([choice, state]) => this.sendWaitingTools(choice, state, true));
    return [...out, 'data: [DONE]\n\n'];
  }

  private state(choice: number): ChoiceState {
    let state = this.choices.get(choice);
    if (!state) {
      state = { opened: false, blocks: new Map(), nextToolIndex: 0, waitingTools: [] };
      this.choices.set(choice, state);
    }
    return state;
  }

  /** The `role` chunk, if this choice has not had it yet. */
  private open(choice: number): string[] {
    const state = this.state(choice);
    if (state.opened) return [];
    state.opened = true;
    return [this.chunk(choice, { role: 'assistant', content: '', refusal: null })];
  }

  /**
   * Sends waiting tool calls, header then held fragments, in the order they started, until one is still open (it
   * becomes the current call), or all of them when `all` (the choice is finishing).
   */
  private sendWaitingTools(choice: number, state: ChoiceState, all: boolean): string[] {
    const out: string[] = [];
    while (state.waitingTools.length > 0 && (all || !state.currentTool)) {
      const block = state.waitingTools.shift() as ToolCallBlock;
      block.sent = true;
      out.push(this.chunk(choice, { tool_calls: [block.header] }), ...block.held.map((json) => this.argumentsChunk(choice, block, json)));
      block.held = [];
      if (!block.stopped) state.currentTool = block;
    }
    if (all) state.currentTool = undefined;
    return out;
  }

  private argumentsChunk(choice: number, block: ToolCallBlock, json: string): string {
    return this.chunk(choice, { tool_calls: [{ index: block.header.index, function: { arguments: json } }] });
  }

  private envelope(): Omit<OpenAiChatCompletionChunk, 'choices' | 'usage'> {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.context.model };
  }

  private chunk(choice: number, delta: OpenAiChunkDelta, finishReason: OpenAiFinishReason | null = null): string {
    const chunk: OpenAiChatCompletionChunk = { ...this.envelope(), choices: [{ index: choice, delta, logprobs: null, finish_reason: finishReason }] };
    if (this.context.includeUsage) chunk.usage = null;
    return frame(chunk);
  }
}

/** The gateway's OpenAI error shape for an error inside a stream: a known gateway code keeps its type and code. */
export function openAiStreamError(code: string, message: string) {
  if (isErrorCode(code)) return toOpenAiError(new GatewayError(code, message));
  return { error: { message, type: 'server_error', param: null, code } };
}
