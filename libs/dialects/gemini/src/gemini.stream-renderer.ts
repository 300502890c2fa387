import type { CanonicalStreamEvent, CanonicalUsage, StreamRenderer } from '@apitopmix/contracts';
import { ErrorCode, GatewayError, isErrorCode } from '@apitopmix/platform/errors';
import { toGeminiError } from './gemini-errors';
import { thoughtSignatureFromCanonical } from './gemini-signatures';
import { GeminiRenderContext, mintResponseId, toArgs, toFinishReason, toUsageMetadata } from './gemini.from-canonical';
import type { GeminiCandidate, GeminiErrorBody, GeminiFinishReason, GeminiGenerateContentResponse, GeminiResponsePart } from './gemini.types';

/** The renderer's context: the dialect interface's, plus what Gemini needs to know of the request. */
export interface GeminiStreamContext extends GeminiRenderContext {
  /** Ignored: Gemini sends usageMetadata whatever the caller asked, so the final chunk always carries it. */
  includeUsage?: boolean;
}

type OpenBlock = { type: 'text' } | { type: 'thinking' } | { type: 'tool_call'; id: string; name: string; signature?: string; json: string };

/**
 * Turns canonical stream events into GenerateContentResponse chunks, as Google streams them:
 * - text and thinking deltas are chunks with one part each (thoughts only when includeThoughts);
 * - a tool call is one functionCall part, sent when its block stops, with its thoughtSignature;
 * - a signature of a text block is a part `{text: "", thoughtSignature}` (Google signs the last part so);
 * - finishReason and usageMetadata come in one final chunk (after the usage event, or at the end), which, like
 *   every chunk, has a candidate with a part: Google's SDK chat drops a streamed turn from its history otherwise.
 */
export class GeminiChunkAssembler {
  private readonly blocks = new Map<string, OpenBlock>();
  private readonly finishes = new Map<number, GeminiFinishReason>();
  private usage?: CanonicalUsage;
  private readonly responseId: string;
  private readonly includeThoughts: boolean;
  /** Set by an error event: nothing is sent after it. */
  failed = false;

  constructor(private readonly context: GeminiStreamContext) {
    this.responseId = context.responseId ?? mintResponseId();
    this.includeThoughts = context.includeThoughts ?? false;
  }

  /** The chunks one event makes, or the error body when the event is an error. */
  push(event: CanonicalStreamEvent): { chunks: GeminiGenerateContentResponse[]; error?: GeminiErrorBody } {
    if (this.failed) return { chunks: [] };
    switch (event.type) {
      case 'block_start':
        this.blocks.set(key(event.choice, event.index), event.block.type === 'tool_call' ? { ...event.block, json: '' } : { type: event.block.type });
        return { chunks: [] };
      case 'text_delta':
        return { chunks: event.text === '' ? [] : [this.chunk(event.choice, [{ text: event.text }])] };
      case 'thinking_delta':
        return { chunks: event.text === '' || !this.includeThoughts ? [] : [this.chunk(event.choice, [{ text: event.text, thought: true }])] };
      case 'signature_delta':
        return { chunks: this.signature(event.choice, event.index, event.signature) };
      case 'tool_arguments_delta': {
        const block = this.blocks.get(key(event.choice, event.index));
        if (block?.type === 'tool_call') block.json += event.json;
        return { chunks: [] };
      }
      case 'block_stop': {
        const block = this.blocks.get(key(event.choice, event.index));
        this.blocks.delete(key(event.choice, event.index));
        if (block?.type !== 'tool_call') return { chunks: [] };
        const part: GeminiResponsePart = { functionCall: { id: block.id, name: block.name, args: toArgs(block.json) } };
        if (block.signature) part.thoughtSignature = block.signature;
        return { chunks: [this.chunk(event.choice, [part])] };
      }
      case 'finish':
        this.finishes.set(event.choice, toFinishReason(event.stopReason));
        return { chunks: [] };
      case 'usage':
        this.usage = event.usage;
        return { chunks: this.finishes.size > 0 ? [this.final()] : [] };
      case 'error':
        this.failed = true;
        return { chunks: [], error: toGeminiError(new GatewayError(isErrorCode(event.code) ? event.code : ErrorCode.Internal, event.message)).body };
      default:
        return { chunks: [] }; // start: Gemini streams have no opening event
    }
  }

  /** The final chunk, if one is still owed. */
  end(): GeminiGenerateContentResponse[] {
    if (this.failed || (this.finishes.size === 0 && this.usage === undefined)) return [];
    return [this.final()];
  }

  private signature(choice: number, index: number, signature: string): GeminiGenerateContentResponse[] {
    const block = this.blocks.get(key(choice, index));
    if (block?.type === 'tool_call') {
      block.signature = signature;
      return [];
    }
    if (block?.type === 'thinking') {
      if (!this.includeThoughts) return [];
      return [this.chunk(choice, [{ text: '', thought: true, thoughtSignature: thoughtSignatureFromCanonical(signature) }])];
    }
    return [this.chunk(choice, [{ text: '', thoughtSignature: signature }])];
  }

  private chunk(choice: number, parts: GeminiResponsePart[]): GeminiGenerateContentResponse {
    return { candidates: [{ content: { role: 'model', parts }, index: choice }], modelVersion: this.context.model, responseId: this.responseId };
  }

  /** Google's field order: candidates, usageMetadata, modelVersion, responseId. */
  private final(): GeminiGenerateContentResponse {
    const finished: [number, GeminiFinishReason | undefined][] = this.finishes.size > 0 ? [...this.finishes] : [[0, undefined]];
    const candidates: GeminiCandidate[] = finished.map(([choice, finishReason]) => ({
      content: { role: 'model', parts: [{ text: '' }] },
      ...(finishReason ? { finishReason } : {}),
      index: choice,
    }));
    const usageMetadata = this.usage ? toUsageMetadata(this.usage) : undefined;
    this.finishes.clear();
    this.usage = undefined;
    return { candidates, ...(usageMetadata ? { usageMetadata } : {}), modelVersion: this.context.model, responseId: this.responseId };
  }
}

const key = (choice: number, index: number) => `${choice}:${index}`;

/** Gemini's `alt=sse` framing, as Google writes it: `data: <chunk>` and a CRLF blank line. */
export const geminiSseFrame = (data: unknown): string => `data: ${JSON.stringify(data)}\r\n\r\n`;

/**
 * Canonical stream events as `streamGenerateContent?alt=sse` frames. An error mid-stream is one more frame,
 * `data: {"error":{code,message,status}}`, and the stream ends there (Google's SDK raises it as an ApiError).
 */
export class GeminiSseStreamRenderer implements StreamRenderer {
  private readonly assembler: GeminiChunkAssembler;

  constructor(context: GeminiStreamContext) {
    this.assembler = new GeminiChunkAssembler(context);
  }

  render(event: CanonicalStreamEvent): string[] {
    const { chunks, error } = this.assembler.push(event);
    const frames = chunks.map(geminiSseFrame);
    if (error) frames.push(geminiSseFrame(error));
    return frames;
  }

  end(): string[] {
    return this.assembler.end().map(geminiSseFrame);
  }
}
