import type { CanonicalStreamEvent } from '@apitopmix/contracts';
import { OpenAiChatStreamRenderer } from './openai-chat.stream-renderer';

type Frame = Record<string, unknown> & { choices?: { index: number; delta: Record<string, unknown>; finish_reason: string | null; logprobs: null }[] };

function renderAll(events: CanonicalStreamEvent[], includeUsage = false) {
  const renderer = new OpenAiChatStreamRenderer({ model: 'claude-sonnet-4', includeUsage });
  const frames = [...events.flatMap((event) => renderer.render(event)), ...renderer.end()];
  return { frames, payloads: frames.map(payloadOf) };
}

function payloadOf(frame: string): Frame | '[DONE]' {
  expect(frame).toMatch(/^data: .*\n\n$/s);
  const data = frame.slice('data: '.length, -2);
  return data === '[DONE]' ? '[DONE]' : (JSON.parse(data) as Frame);
}

/** Each chunk's choices as [index, delta, finish_reason], or 'usage' / '[DONE]'. */
function deltas(payloads: (Frame | '[DONE]')[]) {
  return payloads.map((p) => {
    if (p === '[DONE]') return '[DONE]';
    if ('error' in p) return p;
    if (p.choices?.length === 0) return { usage: p.usage };
    return p.choices?.map((c) => [c.index, c.delta, c.finish_reason]);
  });
}

const start: CanonicalStreamEvent = { type: 'start', id: 'msg_upstream', model: 'claude-sonnet-4-20250514' };
const usage: CanonicalStreamEvent = { type: 'usage', usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 4, reasoningTokens: 2 } };
const text = (t: string, choice = 0, index = 0): CanonicalStreamEvent => ({ type: 'text_delta', choice, index, text: t });

describe('OpenAiChatStreamRenderer', () => {
  it('renders plain text as OpenAI chunks: role, content deltas, finish, [DONE]', () => {
    const { frames, payloads } = renderAll([
      start,
      { type: 'block_start', choice: 0, index: 0, block: { type: 'text' } },
      text('Hel'),
      text(''),
      text('lo'),
      { type: 'block_stop', choice: 0, index: 0 },
      { type: 'finish', choice: 0, stopReason: 'stop' },
      usage,
    ]);

    const first = payloads[0] as Frame;
    expect(first.id).toMatch(/^chatcmpl-[A-Za-z0-9]{29}$/);
    const envelope = `"id":"${String(first.id)}","object":"chat.completion.chunk","created":${String(first.created)},"model":"claude-sonnet-4"`;
    expect(frames).toEqual([
      `data: {${envelope},"choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]}\n\n`,
      `data: {${envelope},"choices":[{"index":0,"delta":{"content":"Hel"},"logprobs":null,"finish_reason":null}]}\n\n`,
      `data: {${envelope},"choices":[{"index":0,"delta":{"content":"lo"},"logprobs":null,"finish_reason":null}]}\n\n`,
      `data: {${envelope},"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}\n\n`,
      'data: [DONE]\n\n',
    ]);
  });

  it('with includeUsage, puts usage: null on every chunk and ends with a usage chunk without choices', () => {
    const { payloads } = renderAll([start, text('Hi'), { type: 'finish', choice: 0, stopReason: 'length' }, usage], true);

    const chunks = payloads.slice(0, -1) as Frame[];
    expect(chunks.slice(0, -1).every((p) => p.usage === null)).toBe(true);
    expect(new Set(chunks.map((p) => `${String(p.id)}/${String(p.created)}`)).size).toBe(1);
    expect(deltas(payloads)).toEqual([
      [[0, { role: 'assistant', content: '', refusal: null }, null]],
      [[0, { content: 'Hi' }, null]],
      [[0, {}, 'length']],
      {
        usage: {
          prompt_tokens: 10,
          completion_tokens: 5,
          total_tokens: 15,
          prompt_tokens_details: { cached_tokens: 4 },
          completion_tokens_details: { reasoning_tokens: 2 },
        },
      },
      '[DONE]',
    ]);
  });

  it('without includeUsage, sends no usage field and no usage chunk', () => {
    const { payloads } = renderAll([start, text('Hi'), { type: 'finish', choice: 0, stopReason: 'stop' }, usage]);
    expect(payloads).toHaveLength(4);
    for (const p of payloads.slice(0, -1)) expect(p).not.toHaveProperty('usage');
  });

  it('renders parallel tool calls numbered from 0, one after the other even when their fragments interleave', () => {
    const events: CanonicalStreamEvent[] = [
      start,
      { type: 'block_start', choice: 0, index: 0, block: { type: 'text' } },
      text('Checking both.'),
      { type: 'block_stop', choice: 0, index: 0 },
      { type: 'block_start', choice: 0, index: 1, block: { type: 'tool_call', id: 'call_a', name: 'get_weather' } },
      { type: 'block_start', choice: 0, index: 2, block: { type: 'tool_call', id: 'call_b', name: 'get_time', signature: 'gsig' } },
      { type: 'tool_arguments_delta', choice: 0, index: 1, json: '{"city":' },
      { type: 'tool_arguments_delta', choice: 0, index: 2, json: '{"tz":' },
      { type: 'tool_arguments_delta', choice: 0, index: 1, json: '"Paris"}' },
      { type: 'tool_arguments_delta', choice: 0, index: 2, json: '"CET"}' },
      { type: 'tool_arguments_delta', choice: 0, index: 2, json: '' },
      { type: 'block_stop', choice: 0, index: 1 },
      { type: 'block_stop', choice: 0, index: 2 },
      { type: 'finish', choice: 0, stopReason: 'tool_calls' },
    ];
    const renderer = new OpenAiChatStreamRenderer({ model: 'm', includeUsage: false });
    const perEvent = events.map((event) => renderer.render(event).map((f) => deltas([payloadOf(f)])[0]));

    const header = (index: number, id: string, name: string, extra = {}) => [
      [0, { tool_calls: [{ index, id, type: 'function', function: { name, arguments: '' }, ...extra }] }, null],
    ];
    const fragment = (index: number, json: string) => [[0, { tool_calls: [{ index, function: { arguments: json } }] }, null]];
    expect(perEvent).toEqual([
      [[[0, { role: 'assistant', content: '', refusal: null }, null]]],
      [],
      [[[0, { content: 'Checking both.' }, null]]],
      [],
      [header(0, 'call_a', 'get_weather')],
      [], // call_b waits: call_a is still open
      [fragment(0, '{"city":')],
      [],
      [fragment(0, '"Paris"}')],
      [],
      [],
      // call_a stops: call_b goes out with the fragments it was holding
      [header(1, 'call_b', 'get_time', { extra_content: { google: { thought_signature: 'gsig' } } }), fragment(1, '{"tz":'), fragment(1, '"CET"}')],
      [],
      [[[0, {}, 'tool_calls']]],
    ]);
  });

  it('sends tool calls as their events arrive when their blocks follow each other', () => {
    const renderer = new OpenAiChatStreamRenderer({ model: 'm', includeUsage: false });
    const counts = (
      [
        start,
        { type: 'block_start', choice: 0, index: 0, block: { type: 'tool_call', id: 'a', name: 'f' } },
        { type: 'tool_arguments_delta', choice: 0, index: 0, json: '{}' },
        { type: 'block_stop', choice: 0, index: 0 },
        { type: 'block_start', choice: 0, index: 1, block: { type: 'tool_call', id: 'b', name: 'g' } },
        { type: 'tool_arguments_delta', choice: 0, index: 1, json: '{' },
        { type: 'tool_arguments_delta', choice: 0, index: 1, json: '}' },
        { type: 'block_stop', choice: 0, index: 1 },
        { type: 'finish', choice: 0, stopReason: 'tool_calls' },
      ] as CanonicalStreamEvent[]
    ).map((event) => renderer.render(event).length);
    expect(counts).toEqual([1, 1, 1, 0, 1, 1, 1, 0, 1]);
  });

  it('sends waiting tool calls before the finish chunk when their blocks never stopped', () => {
    const { payloads } = renderAll([
      start,
      { type: 'block_start', choice: 0, index: 0, block: { type: 'tool_call', id: 'a', name: 'f' } },
      { type: 'block_start', choice: 0, index: 1, block: { type: 'tool_call', id: 'b', name: 'g' } },
      { type: 'tool_arguments_delta', choice: 0, index: 1, json: '{}' },
      { type: 'finish', choice: 0, stopReason: 'tool_calls' },
    ]);
    expect(deltas(payloads).slice(1)).toEqual([
      [[0, { tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: '' } }] }, null]],
      [[0, { tool_calls: [{ index: 1, id: 'b', type: 'function', function: { name: 'g', arguments: '' } }] }, null]],
      [[0, { tool_calls: [{ index: 1, function: { arguments: '{}' } }] }, null]],
      [[0, {}, 'tool_calls']],
      '[DONE]',
    ]);
  });

  it('renders thinking as reasoning_content, its signature as one complete thinking_blocks entry, then the text', () => {
    const { payloads } = renderAll([
      start,
      { type: 'block_start', choice: 0, index: 0, block: { type: 'thinking' } },
      { type: 'thinking_delta', choice: 0, index: 0, text: 'Let me ' },
      { type: 'thinking_delta', choice: 0, index: 0, text: 'think.' },
      { type: 'signature_delta', choice: 0, index: 0, signature: 'EqQBCkYIBhgCKkD' },
      { type: 'block_stop', choice: 0, index: 0 },
      { type: 'block_start', choice: 0, index: 1, block: { type: 'text' } },
      { type: 'signature_delta', choice: 0, index: 1, signature: 'text-signatures-have-no-field' },
      text('Answer.', 0, 1),
      { type: 'block_stop', choice: 0, index: 1 },
      { type: 'finish', choice: 0, stopReason: 'stop' },
    ]);

    expect(deltas(payloads)).toEqual([
      [[0, { role: 'assistant', content: '', refusal: null }, null]],
      [[0, { reasoning_content: 'Let me ' }, null]],
      [[0, { reasoning_content: 'think.' }, null]],
      [[0, { thinking_blocks: [{ type: 'thinking', thinking: 'Let me think.', signature: 'EqQBCkYIBhgCKkD' }] }, null]],
      [[0, { content: 'Answer.' }, null]],
      [[0, {}, 'stop']],
      '[DONE]',
    ]);
  });

  it('renders n=2: each choice opens with its own role chunk and finishes on its own', () => {
    const { payloads } = renderAll([
      start,
      text('A', 0),
      text('B', 1),
      text('a', 0),
      { type: 'finish', choice: 1, stopReason: 'stop_sequence' },
      { type: 'finish', choice: 0, stopReason: 'content_filter' },
    ]);

    expect(deltas(payloads)).toEqual([
      [[0, { role: 'assistant', content: '', refusal: null }, null]],
      [[0, { content: 'A' }, null]],
      [[1, { role: 'assistant', content: '', refusal: null }, null]],
      [[1, { content: 'B' }, null]],
      [[0, { content: 'a' }, null]],
      [[1, {}, 'stop']],
      [[0, {}, 'content_filter']],
      '[DONE]',
    ]);
  });

  it('renders an error mid-stream in the gateway OpenAI error shape and sends no [DONE]', () => {
    const { payloads } = renderAll([start, text('Hal'), { type: 'error', code: 'upstream_unavailable', message: 'The upstream provider failed mid-stream.' }]);

    expect(payloads).toHaveLength(3);
    expect(payloads[2]).toEqual({
      error: { message: 'The upstream provider failed mid-stream.', type: 'service_unavailable', param: null, code: 'upstream_unavailable' },
    });
  });

  it('renders an error code the gateway does not know as a server_error', () => {
    const { payloads } = renderAll([{ type: 'error', code: 'overloaded_error', message: 'Overloaded' }]);
    expect(payloads).toEqual([{ error: { message: 'Overloaded', type: 'server_error', param: null, code: 'overloaded_error' } }]);
  });
});
