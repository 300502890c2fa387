import type { CanonicalStreamEvent, StreamRenderer } from '@apitopmix/contracts';
import { ErrorCode } from '@apitopmix/platform/errors';
import { GeminiJsonArrayStreamRenderer } from './gemini-json-array.stream-renderer';
import { GeminiSseStreamRenderer } from './gemini.stream-renderer';

const context = { model: 'gemini-2.5-flash', includeUsage: false, responseId: 'resp-1' };

/** A canonical stream as an upstream parser would give it: thinking, text, a signed tool call, finish, usage. */
const events: CanonicalStreamEvent[] = [
  { type: 'start', id: 'up-1', model: 'upstream-model' },
  { type: 'block_start', choice: 0, index: 0, block: { type: 'thinking' } },
  { type: 'thinking_delta', choice: 0, index: 0, text: 'Hmm.' },
  { type: 'signature_delta', choice: 0, index: 0, signature: 'gemini:R0VN' },
  { type: 'block_stop', choice: 0, index: 0 },
  { type: 'block_start', choice: 0, index: 1, block: { type: 'text' } },
  { type: 'text_delta', choice: 0, index: 1, text: 'Let me ' },
  { type: 'text_delta', choice: 0, index: 1, text: '' },
  { type: 'text_delta', choice: 0, index: 1, text: 'check.' },
  { type: 'block_stop', choice: 0, index: 1 },
  { type: 'block_start', choice: 0, index: 2, block: { type: 'tool_call', id: 'call_0', name: 'get_weather', signature: 'U0lHLTE=' } },
  { type: 'tool_arguments_delta', choice: 0, index: 2, json: '{"city":' },
  { type: 'tool_arguments_delta', choice: 0, index: 2, json: '"Paris"}' },
  { type: 'block_stop', choice: 0, index: 2 },
  { type: 'finish', choice: 0, stopReason: 'tool_calls' },
  { type: 'usage', usage: { inputTokens: 12, outputTokens: 30, reasoningTokens: 20 } },
];

function run(renderer: StreamRenderer, input: CanonicalStreamEvent[]): string[] {
  return [...input.flatMap((event) => renderer.render(event)), ...renderer.end()];
}

/** Parses SSE frames back as a client would: each must be `data: <json>` ended by a blank line. */
function sseData(frames: string[]): unknown[] {
  return frames.map((frame) => {
    expect(frame).toMatch(/^data: .*\r\n\r\n$/s);
    return JSON.parse(frame.slice('data: '.length, -4));
  });
}

const chunk = (parts: unknown[], index = 0) => ({
  candidates: [{ content: { role: 'model', parts }, index }],
  modelVersion: 'gemini-2.5-flash',
  responseId: 'resp-1',
});

const finalChunk = {
  candidates: [{ content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'STOP', index: 0 }],
  usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 10, thoughtsTokenCount: 20, totalTokenCount: 42 },
  modelVersion: 'gemini-2.5-flash',
  responseId: 'resp-1',
};

describe('GeminiSseStreamRenderer', () => {
  it('streams text deltas as text parts, a tool call as one functionCall part with its signature, and finish with usage last', () => {
    expect(sseData(run(new GeminiSseStreamRenderer(context), events))).toEqual([
      chunk([{ text: 'Let me ' }]),
      chunk([{ text: 'check.' }]),
      chunk([{ functionCall: { id: 'call_0', name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'U0lHLTE=' }]),
      finalChunk,
    ]);
  });

  it('streams thinking as thought parts when includeThoughts, its Gemini signature on an empty thought part', () => {
    const data = sseData(run(new GeminiSseStreamRenderer({ ...context, includeThoughts: true }), events));
    expect(data.slice(0, 3)).toEqual([
      chunk([{ text: 'Hmm.', thought: true }]),
      chunk([{ text: '', thought: true, thoughtSignature: 'R0VN' }]),
      chunk([{ text: 'Let me ' }]),
    ]);
  });

  it('puts a text block’s signature on an empty text part, and a foreign thinking signature behind foreign:', () => {
    const frames = run(new GeminiSseStreamRenderer({ ...context, includeThoughts: true }), [
      { type: 'block_start', choice: 0, index: 0, block: { type: 'thinking' } },
      { type: 'thinking_delta', choice: 0, index: 0, text: 'Claude thinks' },
      { type: 'signature_delta', choice: 0, index: 0, signature: 'ErUBCkYI' },
      { type: 'block_stop', choice: 0, index: 0 },
      { type: 'block_start', choice: 0, index: 1, block: { type: 'text' } },
      { type: 'text_delta', choice: 0, index: 1, text: 'Hi' },
      { type: 'signature_delta', choice: 0, index: 1, signature: 'VEVYVA==' },
      { type: 'block_stop', choice: 0, index: 1 },
      { type: 'finish', choice: 0, stopReason: 'stop' },
    ]);
    expect(sseData(frames)).toEqual([
      chunk([{ text: 'Claude thinks', thought: true }]),
      chunk([{ text: '', thought: true, thoughtSignature: 'foreign:ErUBCkYI' }]),
      chunk([{ text: 'Hi' }]),
      chunk([{ text: '', thoughtSignature: 'VEVYVA==' }]),
      {
        candidates: [{ content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'STOP', index: 0 }],
        modelVersion: 'gemini-2.5-flash',
        responseId: 'resp-1',
      },
    ]);
  });

  it('sends the final chunk at the end when no usage comes, and carries usage that came before the finish', () => {
    const noUsage = events.filter((event) => event.type !== 'usage');
    const data = sseData(run(new GeminiSseStreamRenderer(context), noUsage));
    expect(data.at(-1)).toEqual({ ...finalChunk, usageMetadata: undefined });
    expect(data.at(-1)).not.toHaveProperty('usageMetadata');

    const usageFirst = [...noUsage.slice(0, -1), events.at(-1) as CanonicalStreamEvent, noUsage.at(-1) as CanonicalStreamEvent];
    expect(sseData(run(new GeminiSseStreamRenderer(context), usageFirst)).at(-1)).toEqual(finalChunk);
  });

  it('keeps choices apart by candidate index and finishes them together', () => {
    const data = sseData(
      run(new GeminiSseStreamRenderer(context), [
        { type: 'block_start', choice: 0, index: 0, block: { type: 'text' } },
        { type: 'block_start', choice: 1, index: 0, block: { type: 'text' } },
        { type: 'text_delta', choice: 1, index: 0, text: 'B' },
        { type: 'text_delta', choice: 0, index: 0, text: 'A' },
        { type: 'finish', choice: 0, stopReason: 'length' },
        { type: 'finish', choice: 1, stopReason: 'stop' },
        { type: 'usage', usage: { inputTokens: 1, outputTokens: 2 } },
      ]),
    );
    expect(data).toEqual([
      chunk([{ text: 'B' }], 1),
      chunk([{ text: 'A' }], 0),
      {
        candidates: [
          { content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'MAX_TOKENS', index: 0 },
          { content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'STOP', index: 1 },
        ],
        usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 2, totalTokenCount: 3 },
        modelVersion: 'gemini-2.5-flash',
        responseId: 'resp-1',
      },
    ]);
  });

  it('ends with an error frame in Google’s shape on an error event, and sends nothing after it', () => {
    const renderer = new GeminiSseStreamRenderer(context);
    const frames = [
      ...renderer.render({ type: 'block_start', choice: 0, index: 0, block: { type: 'text' } }),
      ...renderer.render({ type: 'text_delta', choice: 0, index: 0, text: 'Par' }),
      ...renderer.render({ type: 'error', code: ErrorCode.UpstreamUnavailable, message: 'The upstream provider (google) failed mid-stream.' }),
      ...renderer.render({ type: 'text_delta', choice: 0, index: 0, text: 'is' }),
      ...renderer.render({ type: 'finish', choice: 0, stopReason: 'stop' }),
      ...renderer.end(),
    ];
    const data = sseData(frames);
    expect(data).toHaveLength(2);
    expect(data[1]).toMatchObject({ error: { code: 503, status: 'UNAVAILABLE', message: 'The upstream provider (google) failed mid-stream.' } });
  });

  it('renders an error event with an unknown code as INTERNAL', () => {
    const data = sseData(new GeminiSseStreamRenderer(context).render({ type: 'error', code: 'boom', message: 'x' }));
    expect(data[0]).toMatchObject({ error: { code: 500, status: 'INTERNAL', message: 'x' } });
  });
});

describe('GeminiJsonArrayStreamRenderer', () => {
  it('streams one JSON array whose elements are the same chunks as the SSE ones', () => {
    const frames = run(new GeminiJsonArrayStreamRenderer(context), events);
    const body = frames.join('');

    expect(frames[0].startsWith('[{')).toBe(true);
    expect(frames[1].startsWith(',\r\n{')).toBe(true);
    expect(frames.at(-1)).toBe(']');
    expect(JSON.parse(body)).toEqual(sseData(run(new GeminiSseStreamRenderer(context), events)));
  });

  it('is an empty array when nothing was streamed', () => {
    expect(JSON.parse(run(new GeminiJsonArrayStreamRenderer(context), []).join(''))).toEqual([]);
  });

  it('closes the array with the error as its last element on an error event', () => {
    const renderer = new GeminiJsonArrayStreamRenderer(context);
    const frames = run(renderer, [
      { type: 'block_start', choice: 0, index: 0, block: { type: 'text' } },
      { type: 'text_delta', choice: 0, index: 0, text: 'Hi' },
      { type: 'error', code: ErrorCode.UpstreamTimeout, message: 'too slow' },
      { type: 'text_delta', choice: 0, index: 0, text: 'more' },
    ]);
    const parsed = JSON.parse(frames.join('')) as unknown[];
    expect(parsed).toHaveLength(2);
    expect(parsed[1]).toMatchObject({ error: { code: 503, status: 'UNAVAILABLE', message: 'too slow' } });
    expect(renderer.end()).toEqual([]);
  });
});
