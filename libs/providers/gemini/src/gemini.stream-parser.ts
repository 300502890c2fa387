import type { CanonicalStreamEvent, StreamParser } from '@apitopmix/contracts';
import { ErrorCode } from '@apitopmix/platform/errors';
import { geminiUpstreamError } from './gemini.errors';
import { CallIdMinter, fromFinishReason, fromGeminiUsage } from './gemini.response';
import { GEMINI_THOUGHT_SIGNATURE_PREFIX } from './gemini.signatures';
import type { GeminiGenerateContentResponse, GeminiPart, GeminiUsageMetadata } from './gemini.types';

interface ChoiceState {
  open?: { index: number; type: 'text' | 'thinking' };
  nextIndex: number;
  calls: number;
  started: boolean;
  finished: boolean;
}

/**
 * Gemini's `alt=sse` chunks as canonical stream events. Each chunk is a GenerateContentResponse holding the next
 * parts of each candidate (candidate `index` is the canonical choice):
 * - text parts are deltas of one text block, thought parts of one thinking block (a new block when the kind changes);
 * - a functionCall part arrives whole: it becomes a complete tool_call block (block_start with its id, minted
 *   `call_<n>` when absent, and its thoughtSignature; one tool_arguments_delta; block_stop);
 * - a thoughtSignature on a text or thought part is a signature_delta of that block (a thought's behind `gemini:`);
 * - finishReason ends the candidate's blocks and is its finish; usageMetadata is a running total, so the last one
 *   seen is sent once, as the usage event, when the stream ends;
 * - a chunk `{error:{...}}` (Google failing mid-stream) is an error event, and nothing follows it.
 */
export class GeminiStreamParser implements StreamParser {
  private started = false;
  private failed = false;
  private readonly choices = new Map<number, ChoiceState>();
  private readonly ids = new CallIdMinter();
  private usage?: GeminiUsageMetadata;

  constructor(private readonly provider = 'google') {}

  push(event: { event?: string; data: string }): CanonicalStreamEvent[] {
    if (this.failed) return [];
    let chunk: GeminiGenerateContentResponse & { error?: { code?: unknown } };
    try {
      chunk = JSON.parse(event.data);
    } catch {
      return this.fail(ErrorCode.UpstreamUnavailable, `The upstream provider (${this.provider}) sent an unreadable stream.`);
    }
    if (chunk?.error) {
      const status = typeof chunk.error.code === 'number' ? chunk.error.code : 500;
      const error = geminiUpstreamError(this.provider, status, event.data);
      return this.fail(error.code, error.message);
    }
    const events: CanonicalStreamEvent[] = [];
    if (!this.started) {
      this.started = true;
      events.push({ type: 'start', id: chunk.responseId ?? '', model: chunk.modelVersion ?? '' });
    }
    (chunk.candidates ?? []).forEach((candidate, position) => {
      const choice = candidate.index ?? position;
      const state = this.state(choice);
      if (state.finished) return;
      for (const part of candidate.content?.parts ?? []) events.push(...this.part(choice, state, part));
      if (candidate.finishReason) events.push(...this.finish(choice, state, candidate.finishReason));
    });
    if ((chunk.candidates ?? []).length === 0 && chunk.promptFeedback?.blockReason) {
      const state = this.state(0);
      if (!state.finished) events.push(...this.finish(0, state, 'SAFETY'));
    }
    if (chunk.usageMetadata) this.usage = chunk.usageMetadata;
    return events;
  }

  end(): CanonicalStreamEvent[] {
    if (this.failed) return [];
    const events: CanonicalStreamEvent[] = [];
    for (const [choice, state] of this.choices) if (!state.finished && state.started) events.push(...this.finish(choice, state, undefined));
    if (this.usage) events.push({ type: 'usage', usage: fromGeminiUsage(this.usage) });
    return events;
  }

  private state(choice: number): ChoiceState {
    let state = this.choices.get(choice);
    if (!state) {
      state = { nextIndex: 0, calls: 0, started: false, finished: false };
      this.choices.set(choice, state);
    }
    return state;
  }

  private part(choice: number, state: ChoiceState, part: GeminiPart): CanonicalStreamEvent[] {
    const events: CanonicalStreamEvent[] = [];
    if (part.functionCall) {
      events.push(...this.close(choice, state));
      const index = state.nextIndex++;
      const call = part.functionCall;
      const id = this.ids.idFor(call);
      state.calls += 1;
      state.started = true;
      events.push(
        {
          type: 'block_start',
          choice,
          index,
          block: { type: 'tool_call', id, name: call.name, ...(part.thoughtSignature ? { signature: part.thoughtSignature } : {}) },
        },
        { type: 'tool_arguments_delta', choice, index, json: JSON.stringify(call.args ?? {}) },
        { type: 'block_stop', choice, index },
      );
      return events;
    }
    const kind = part.thought ? 'thinking' : 'text';
    const text = part.text ?? '';
    if (text === '' && !part.thoughtSignature) return events; // Google's empty closing parts
    if (typeof part.text !== 'string' && !part.thoughtSignature) return events; // media and code parts: no canonical stream block
    if (state.open?.type !== kind) {
      events.push(...this.close(choice, state));
      state.open = { index: state.nextIndex++, type: kind };
      state.started = true;
      events.push({ type: 'block_start', choice, index: state.open.index, block: { type: kind } });
    }
    const index = state.open.index;
    if (text !== '') events.push(kind === 'thinking' ? { type: 'thinking_delta', choice, index, text } : { type: 'text_delta', choice, index, text });
    if (part.thoughtSignature) {
      const signature = kind === 'thinking' ? `${GEMINI_THOUGHT_SIGNATURE_PREFIX}${part.thoughtSignature}` : part.thoughtSignature;
      events.push({ type: 'signature_delta', choice, index, signature });
      // A signature closes a thought (the next thought part starts a new block, as in a whole response).
      if (kind === 'thinking') events.push(...this.close(choice, state));
    }
    return events;
  }

  private close(choice: number, state: ChoiceState): CanonicalStreamEvent[] {
    if (!state.open) return [];
    const index = state.open.index;
    state.open = undefined;
    return [{ type: 'block_stop', choice, index }];
  }

  private finish(choice: number, state: ChoiceState, reason: string | undefined): CanonicalStreamEvent[] {
    state.finished = true;
    return [...this.close(choice, state), { type: 'finish', choice, stopReason: fromFinishReason(reason, state.calls > 0) }];
  }

  private fail(code: string, message: string): CanonicalStreamEvent[] {
    this.failed = true;
    return [{ type: 'error', code, message }];
  }
}
