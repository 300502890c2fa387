import { randomUUID } from 'node:crypto';
import type { CanonicalStreamEvent, CanonicalUsage, StreamParser } from '@apitopmix/contracts';
import { ErrorCode } from '@apitopmix/platform/errors';
import { canonicalStop, canonicalUsage, reasoningOf, toolCallSignature } from './openai-compatible.read';
import type { OpenAiCompatibleChunk, OpenAiUpstreamChoice } from './openai-compatible.types';

interface ChoiceState {
  nextBlock: number;
  /** The open block: at most one, closed when another begins (as generation and Anthropic's stream go). */
  open?: { kind: 'text' | 'thinking' | 'tool_call'; index: number };
  /** Upstream tool-call index → canonical block index. */
  tools: Map<number, number>;
  finished: boolean;
}

/** A JSON object (not null, not an array), keeping the declared type: upstream data is checked, not trusted. */
const isObject = <T>(value: T | null | undefined): value is T => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An OpenAI-compatible stream (the `data` of each `chat.completion.chunk`; `[DONE]` never reaches it) as canonical
 * events. `start` comes with the first chunk. Per choice, one block is open at a time: thinking deltas
 * (`reasoning_content` or `reasoning`) and content deltas each form a block, opened by their first non-empty delta;
 * each tool-call index opens a tool_call block on its first delta (id, name), closing the block before it, and gets
 * one arguments delta per fragment; `finish_reason` closes the open block and finishes the choice. A model writes
 * one tool call after the other, so a fragment for an earlier call (an upstream that re-chunks and interleaves them)
 * is still sent, with that call's block index, after its block_stop: dropping it would corrupt the arguments. The usage
 * chunk (`choices: []`) becomes `usage`; usage riding on other chunks (vLLM's continuous stats) is kept and sent
 * once at the end. An `{"error": ...}` payload or unreadable data becomes an `error` event, after which the parser
 * says nothing more.
 */
export class OpenAiCompatibleStreamParser implements StreamParser {
  private started = false;
  private stopped = false;
  private readonly choices = new Map<number, ChoiceState>();
  private usageSent = false;
  private pendingUsage?: CanonicalUsage;

  push(event: { event?: string; data: string }): CanonicalStreamEvent[] {
    if (this.stopped) return [];
    let chunk: OpenAiCompatibleChunk;
    try {
      chunk = JSON.parse(event.data) as OpenAiCompatibleChunk;
    } catch {
      return this.fail('The upstream provider sent an unreadable stream event.');
    }
    if (!isObject(chunk)) return this.fail('The upstream provider sent an unreadable stream event.');
    // The upstream's own wording may name our account: the caller gets a generic message.
    if (chunk.error !== undefined && chunk.error !== null) return this.fail('The upstream provider failed mid-stream.');

    const events: CanonicalStreamEvent[] = [];
    if (!this.started) {
      this.started = true;
      events.push({ type: 'start', id: typeof chunk.id === 'string' ? chunk.id : '', model: typeof chunk.model === 'string' ? chunk.model : '' });
    }
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    choices.forEach((choice, position) => this.choice(choice, position, events));
    const usage = canonicalUsage(chunk.usage);
    if (usage && !this.usageSent) {
      if (choices.length === 0) {
        this.usageSent = true;
        this.pendingUsage = undefined;
        events.push({ type: 'usage', usage });
      } else this.pendingUsage = usage;
    }
    return events;
  }

  end(): CanonicalStreamEvent[] {
    if (this.stopped) return [];
    this.stopped = true;
    if (!this.started)
      return [{ type: 'error', code: ErrorCode.UpstreamUnavailable, message: 'The upstream provider ended the stream without sending anything.' }];
    const events: CanonicalStreamEvent[] = [];
    // A choice the upstream never finished is finished here, so every consumer sees a complete answer.
    for (const [index, state] of [...this.choices].sort(([a], [b]) => a - b)) {
      if (state.finished) continue;
      this.close(index, state, events);
      events.push({ type: 'finish', choice: index, stopReason: 'stop' });
    }
    if (this.pendingUsage && !this.usageSent) events.push({ type: 'usage', usage: this.pendingUsage });
    return events;
  }

  private choice(choice: OpenAiUpstreamChoice, position: number, events: CanonicalStreamEvent[]): void {
    if (!isObject(choice)) return;
    const index = typeof choice.index === 'number' ? choice.index : position;
    const state = this.state(index);
    if (state.finished) return;
    const delta = isObject(choice.delta) ? choice.delta : {};

    const reasoning = reasoningOf(delta);
    if (reasoning !== '') events.push({ type: 'thinking_delta', choice: index, index: this.block(index, state, 'thinking', events), text: reasoning });
    for (const text of [delta.content, delta.refusal]) {
      if (typeof text === 'string' && text !== '') events.push({ type: 'text_delta', choice: index, index: this.block(index, state, 'text', events), text });
    }

    (Array.isArray(delta.tool_calls) ? delta.tool_calls : []).forEach((call, k) => {
      if (!isObject(call)) return;
      const toolIndex = typeof call.index === 'number' ? call.index : k;
      let block = state.tools.get(toolIndex);
      if (block === undefined) {
        this.close(index, state, events);
        block = state.nextBlock++;
        state.tools.set(toolIndex, block);
        state.open = { kind: 'tool_call', index: block };
        const id = typeof call.id === 'string' && call.id !== '' ? call.id : `call_${randomUUID().replace(/-/g, '')}`;
        const name = typeof call.function?.name === 'string' ? call.function.name : '';
        const signature = toolCallSignature(call);
        events.push({
          type: 'block_start',
          choice: index,
          index: block,
          block: signature === undefined ? { type: 'tool_call', id, name } : { type: 'tool_call', id, name, signature },
        });
      }
      const fragment = call.function?.arguments;
      if (typeof fragment === 'string' && fragment !== '') events.push({ type: 'tool_arguments_delta', choice: index, index: block, json: fragment });
    });

    if (typeof choice.finish_reason === 'string' && choice.finish_reason !== '') {
      this.close(index, state, events);
      state.finished = true;
      events.push({ type: 'finish', choice: index, ...canonicalStop(choice.finish_reason, choice.stop_reason) });
    }
  }

  private state(choice: number): ChoiceState {
    let state = this.choices.get(choice);
    if (!state) {
      state = { nextBlock: 0, tools: new Map(), finished: false };
      this.choices.set(choice, state);
    }
    return state;
  }

  /** The open text or thinking block, opening it (and closing the block before it) when needed. */
  private block(choice: number, state: ChoiceState, kind: 'text' | 'thinking', events: CanonicalStreamEvent[]): number {
    if (state.open?.kind === kind) return state.open.index;
    this.close(choice, state, events);
    const index = state.nextBlock++;
    state.open = { kind, index };
    events.push({ type: 'block_start', choice, index, block: { type: kind } });
    return index;
  }

  private close(choice: number, state: ChoiceState, events: CanonicalStreamEvent[]): void {
    if (!state.open) return;
    events.push({ type: 'block_stop', choice, index: state.open.index });
    state.open = undefined;
  }

  private fail(message: string): CanonicalStreamEvent[] {
    this.stopped = true;
    return [{ type: 'error', code: ErrorCode.UpstreamUnavailable, message }];
  }
}
