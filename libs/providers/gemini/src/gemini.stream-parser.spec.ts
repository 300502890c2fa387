import type { CanonicalStreamEvent } from '@apitopmix/contracts';
import { ErrorCode } from '@apitopmix/platform/errors';
import { geminiFormat } from './gemini.chat';

/** Runs SSE data strings through a fresh parser, then ends it. */
function parse(chunks: (string | object)[]): CanonicalStreamEvent[] {
  const parser = geminiFormat.streamParser();
  const events = chunks.flatMap((chunk) => parser.push({ data: typeof chunk === 'string' ? chunk : JSON.stringify(chunk) }));
  return [...events, ...parser.end()];
}

// Shaped after Google's alt=sse examples: every chunk carries usageMetadata (a running total) and modelVersion.
const usage8 = { promptTokenCount: 8, totalTokenCount: 8, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 8 }] };
const textChunk = (text: string, extra: Record<string, unknown> = {}) => ({
  candidates: [{ content: { parts: [{ text }], role: 'model' }, index: 0, ...extra }],
  usageMetadata: usage8,
  modelVersion: 'gemini-2.5-flash',
  responseId: 'Ju1taZ2ZC8e8',
});

describe('GeminiStreamParser', () => {
  it('reads text chunks into one text block, the finish from the last chunk, and the usage once at the end (also from a usage-only chunk)', () => {
    const events = parse([
      textChunk('The'),
      textChunk(' quick brown fox'),
      textChunk(' jumps.', { finishReason: 'STOP' }),
      {
        usageMetadata: { promptTokenCount: 8, candidatesTokenCount: 6, thoughtsTokenCount: 4, totalTokenCount: 18 },
        modelVersion: 'gemini-2.5-flash',
        responseId: 'Ju1taZ2ZC8e8',
      },
    ]);

    expect(events).toEqual([
      { type: 'start', id: 'Ju1taZ2ZC8e8', model: 'gemini-2.5-flash' },
      { type: 'block_start', choice: 0, index: 0, block: { type: 'text' } },
      { type: 'text_delta', choice: 0, index: 0, text: 'The' },
      { type: 'text_delta', choice: 0, index: 0, text: ' quick brown fox' },
      { type: 'text_delta', choice: 0, index: 0, text: ' jumps.' },
      { type: 'block_stop', choice: 0, index: 0 },
      { type: 'finish', choice: 0, stopReason: 'stop' },
      { type: 'usage', usage: { inputTokens: 8, outputTokens: 10, reasoningTokens: 4 } },
    ]);
  });

  it('reads a functionCall chunk with its thoughtSignature as one complete tool_call block, and STOP as tool_calls', () => {
    const events = parse([
      {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [
                { functionCall: { name: 'check_flight', args: { flight: 'AA100' } }, thoughtSignature: 'PFNpZ25hdHVyZV9BPg==' },
                { functionCall: { name: 'check_flight', args: { flight: 'BA200' } } },
              ],
            },
            finishReason: 'STOP',
            index: 0,
          },
        ],
        usageMetadata: { promptTokenCount: 30, candidatesTokenCount: 20, totalTokenCount: 50 },
        modelVersion: 'gemini-3-pro-preview',
      },
    ]);

    expect(events).toEqual([
      { type: 'start', id: '', model: 'gemini-3-pro-preview' },
      { type: 'block_start', choice: 0, index: 0, block: { type: 'tool_call', id: 'call_0', name: 'check_flight', signature: 'PFNpZ25hdHVyZV9BPg==' } },
      { type: 'tool_arguments_delta', choice: 0, index: 0, json: '{"flight":"AA100"}' },
      { type: 'block_stop', choice: 0, index: 0 },
      { type: 'block_start', choice: 0, index: 1, block: { type: 'tool_call', id: 'call_1', name: 'check_flight' } },
      { type: 'tool_arguments_delta', choice: 0, index: 1, json: '{"flight":"BA200"}' },
      { type: 'block_stop', choice: 0, index: 1 },
      { type: 'finish', choice: 0, stopReason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 30, outputTokens: 20 } },
    ]);
  });

  it('reads thought parts into a thinking block (signature behind gemini:), then text, then a signature-only closing part', () => {
    const events = parse([
      { candidates: [{ content: { role: 'model', parts: [{ text: '**Planning**\n', thought: true }] }, index: 0 }] },
      { candidates: [{ content: { role: 'model', parts: [{ text: 'Consider the cases.', thought: true, thoughtSignature: 'VEhPVQ==' }] }, index: 0 }] },
      { candidates: [{ content: { role: 'model', parts: [{ text: 'Two ' }] }, index: 0 }] },
      { candidates: [{ content: { role: 'model', parts: [{ text: 'cases.' }] }, index: 0 }] },
      { candidates: [{ content: { role: 'model', parts: [{ text: '', thoughtSignature: 'TEFTVA==' }] }, finishReason: 'STOP', index: 0 }] },
    ]);

    expect(events.slice(1)).toEqual([
      { type: 'block_start', choice: 0, index: 0, block: { type: 'thinking' } },
      { type: 'thinking_delta', choice: 0, index: 0, text: '**Planning**\n' },
      { type: 'thinking_delta', choice: 0, index: 0, text: 'Consider the cases.' },
      { type: 'signature_delta', choice: 0, index: 0, signature: 'gemini:VEhPVQ==' },
      { type: 'block_stop', choice: 0, index: 0 },
      { type: 'block_start', choice: 0, index: 1, block: { type: 'text' } },
      { type: 'text_delta', choice: 0, index: 1, text: 'Two ' },
      { type: 'text_delta', choice: 0, index: 1, text: 'cases.' },
      { type: 'signature_delta', choice: 0, index: 1, signature: 'TEFTVA==' },
      { type: 'block_stop', choice: 0, index: 1 },
      { type: 'finish', choice: 0, stopReason: 'stop' },
    ]);
  });

  it('ignores Google’s empty closing text part, and keeps candidates apart by index', () => {
    const events = parse([
      {
        candidates: [
          { content: { role: 'model', parts: [{ text: 'A' }] }, index: 0 },
          { content: { role: 'model', parts: [{ text: 'B' }] }, index: 1 },
        ],
      },
      {
        candidates: [
          { content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'MAX_TOKENS', index: 0 },
          { content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'SAFETY', index: 1 },
        ],
      },
    ]);
    expect(events.slice(1)).toEqual([
      { type: 'block_start', choice: 0, index: 0, block: { type: 'text' } },
      { type: 'text_delta', choice: 0, index: 0, text: 'A' },
      { type: 'block_start', choice: 1, index: 0, block: { type: 'text' } },
      { type: 'text_delta', choice: 1, index: 0, text: 'B' },
      { type: 'block_stop', choice: 0, index: 0 },
      { type: 'finish', choice: 0, stopReason: 'length' },
      { type: 'block_stop', choice: 1, index: 0 },
      { type: 'finish', choice: 1, stopReason: 'content_filter' },
    ]);
  });

  it('owes a finish when the body ends without one', () => {
    expect(parse([textChunk('cut')]).slice(-3)).toEqual([
      { type: 'block_stop', choice: 0, index: 0 },
      { type: 'finish', choice: 0, stopReason: 'stop' },
      { type: 'usage', usage: { inputTokens: 8, outputTokens: 0 } },
    ]);
  });

  it('reads a blocked prompt as a filtered finish', () => {
    expect(parse([{ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: usage8 }])).toEqual([
      { type: 'start', id: '', model: '' },
      { type: 'finish', choice: 0, stopReason: 'content_filter' },
      { type: 'usage', usage: { inputTokens: 8, outputTokens: 0 } },
    ]);
  });

  it('turns an error chunk into an error event without Google’s wording, and nothing after it', () => {
    const events = parse([
      textChunk('Hel'),
      { error: { code: 503, message: 'The model is overloaded. Please try again later. project 1234', status: 'UNAVAILABLE' } },
      textChunk('lo', { finishReason: 'STOP' }),
    ]);
    expect(events.slice(-1)).toEqual([
      { type: 'error', code: ErrorCode.UpstreamUnavailable, message: 'The upstream provider (google) is temporarily unavailable (HTTP 503).' },
    ]);
    expect(events.filter((event) => event.type === 'finish' || event.type === 'usage')).toEqual([]);
  });

  it('turns an unreadable chunk into an error event', () => {
    expect(parse(['{"candidates": [']).at(-1)).toEqual({
      type: 'error',
      code: ErrorCode.UpstreamUnavailable,
      message: 'The upstream provider (google) sent an unreadable stream.',
    });
  });
});
