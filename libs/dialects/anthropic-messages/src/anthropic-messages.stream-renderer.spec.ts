import type { CanonicalStreamEvent } from '@apitopmix/contracts';
import { ErrorCode } from '@apitopmix/platform/errors';
import { AnthropicStreamRenderer } from './anthropic-messages.stream-renderer';

interface Frame {
  event: string;
  data: Record<string, unknown>;
}

/** Renders events then end(), checks every frame's framing, and returns them parsed. */
function run(events: CanonicalStreamEvent[], model = 'claude-sonnet-4-6'): Frame[] {
  const renderer = new AnthropicStreamRenderer({ model, includeUsage: false });
  const raw = [...events.flatMap((event) => renderer.render(event)), ...renderer.end()];
  expect(renderer.end()).toEqual([]);
  return raw.map((frame) => {
    const match = /^event: ([a-z_]+)\ndata: (.+)\n\n$/s.exec(frame);
    if (!match) throw new Error(`not an SSE frame: ${JSON.stringify(frame)}`);
    const data = JSON.parse(match[2]) as Record<string, unknown>;
    expect(data.type).toBe(match[1]);
    return { event: match[1], data };
  });
}

const names = (frames: Frame[]) => frames.map((f) => f.event);
const payloads = (frames: Frame[]) => frames.map((f) => f.data);

describe('AnthropicStreamRenderer', () => {
  it('renders plain text in Anthropic order, with its own msg_ id and the caller model', () => {
    const frames = run([
      { type: 'start', id: 'upstream-1', model: 'upstream-model' },
      { type: 'usage', usage: { inputTokens: 25, outputTokens: 1 } },
      { type: 'block_start', choice: 0, index: 0, block: { type: 'text' } },
      { type: 'text_delta', choice: 0, index: 0, text: 'Hello' },
      { type: 'text_delta', choice: 0, index: 0, text: '!' },
      { type: 'block_stop', choice: 0, index: 0 },
      { type: 'finish', choice: 0, stopReason: 'stop' },
      { type: 'usage', usage: { inputTokens: 25, outputTokens: 15 } },
    ]);

    expect(payloads(frames)).toEqual([
      {
        type: 'message_start',
        message: {
          id: expect.stringMatching(/^msg_[0-9A-Za-z]{24}$/),
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-4-6',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 25, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        },
      },
      { type: 'ping' },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '!' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { input_tokens: 25, cache_read_input_tokens: 0, output_tokens: 15 },
      },
      { type: 'message_stop' },
    ]);
  });

  it('writes the exact bytes of a frame', () => {
    const renderer = new AnthropicStreamRenderer({ model: 'm' });
    renderer.render({ type: 'start', id: 'x', model: 'x' });
    renderer.render({ type: 'usage', usage: { inputTokens: 1, outputTokens: 0 } });
    expect(renderer.render({ type: 'block_stop', choice: 0, index: 9 })).toEqual([]);
    expect(renderer.render({ type: 'block_start', choice: 0, index: 0, block: { type: 'text' } })).toEqual([
      'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
    ]);
  });

  it('renders a tool call with input_json deltas and the tool_use stop reason', () => {
    const frames = run([
      { type: 'start', id: 'u', model: 'u' },
      { type: 'usage', usage: { inputTokens: 400, outputTokens: 0 } },
      { type: 'block_start', choice: 0, index: 0, block: { type: 'text' } },
      { type: 'text_delta', choice: 0, index: 0, text: 'Let me check.' },
      { type: 'block_stop', choice: 0, index: 0 },
      { type: 'block_start', choice: 0, index: 1, block: { type: 'tool_call', id: 'toolu_01', name: 'get_weather' } },
      { type: 'tool_arguments_delta', choice: 0, index: 1, json: '' },
      { type: 'tool_arguments_delta', choice: 0, index: 1, json: '{"city": "Pa' },
      { type: 'tool_arguments_delta', choice: 0, index: 1, json: 'ris"}' },
      { type: 'block_stop', choice: 0, index: 1 },
      { type: 'finish', choice: 0, stopReason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 400, outputTokens: 89 } },
    ]);

    expect(payloads(frames).slice(2)).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Let me check.' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: {} } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"city": "Pa' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: 'ris"}' } },
      { type: 'content_block_stop', index: 1 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'tool_use', stop_sequence: null },
        usage: { input_tokens: 400, cache_read_input_tokens: 0, output_tokens: 89 },
      },
      { type: 'message_stop' },
    ]);
  });

  it('carries a Gemini signature on tool_use, and mints an id when the call has none', () => {
    const frames = run([
      { type: 'start', id: 'u', model: 'u' },
      { type: 'block_start', choice: 0, index: 0, block: { type: 'tool_call', id: '', name: 'f', signature: 'gemini-sig' } },
      { type: 'finish', choice: 0, stopReason: 'tool_calls' },
    ]);
    expect(frames[2].data).toEqual({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'tool_use', id: expect.stringMatching(/^toolu_/), name: 'f', input: {}, signature: 'gemini-sig' },
    });
  });

  it('renders thinking with its signature, then text', () => {
    const frames = run([
      { type: 'start', id: 'u', model: 'u' },
      { type: 'usage', usage: { inputTokens: 30, outputTokens: 0 } },
      { type: 'block_start', choice: 0, index: 0, block: { type: 'thinking' } },
      { type: 'thinking_delta', choice: 0, index: 0, text: 'Let me solve this step by step.' },
      { type: 'signature_delta', choice: 0, index: 0, signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3h' },
      { type: 'block_stop', choice: 0, index: 0 },
      { type: 'block_start', choice: 0, index: 1, block: { type: 'text' } },
      { type: 'text_delta', choice: 0, index: 1, text: '27 * 453 = 12,231' },
      { type: 'block_stop', choice: 0, index: 1 },
      { type: 'finish', choice: 0, stopReason: 'stop' },
      { type: 'usage', usage: { inputTokens: 30, outputTokens: 120 } },
    ]);

    expect(payloads(frames).slice(2)).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me solve this step by step.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3h' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: '27 * 453 = 12,231' } },
      { type: 'content_block_stop', index: 1 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { input_tokens: 30, cache_read_input_tokens: 0, output_tokens: 120 },
      },
      { type: 'message_stop' },
    ]);
  });

  it('renders an error mid-stream as event: error and nothing after it', () => {
    const renderer = new AnthropicStreamRenderer({ model: 'm' });
    const frames = [
      ...renderer.render({ type: 'start', id: 'u', model: 'u' }),
      ...renderer.render({ type: 'block_start', choice: 0, index: 0, block: { type: 'text' } }),
      ...renderer.render({ type: 'text_delta', choice: 0, index: 0, text: 'Partial' }),
      ...renderer.render({ type: 'error', code: ErrorCode.UpstreamUnavailable, message: 'The upstream provider (anthropic) is temporarily unavailable.' }),
      ...renderer.render({ type: 'text_delta', choice: 0, index: 0, text: 'ignored' }),
      ...renderer.render({ type: 'finish', choice: 0, stopReason: 'stop' }),
      ...renderer.end(),
    ];
    expect(frames.map((f) => f.split('\n')[0])).toEqual([
      'event: message_start',
      'event: ping',
      'event: content_block_start',
      'event: content_block_delta',
      'event: error',
    ]);
    expect(frames[4]).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"The upstream provider (anthropic) is temporarily unavailable."}}\n\n',
    );
  });

  it.each([
    [ErrorCode.UpstreamRejected, 'invalid_request_error'],
    [ErrorCode.RateLimited, 'rate_limit_error'],
    [ErrorCode.Internal, 'api_error'],
    ['not_a_gateway_code', 'api_error'],
  ])('types a stream error with code %s as %s', (code, type) => {
    const frames = run([{ type: 'error', code, message: 'x' }]);
    expect(payloads(frames)).toEqual([{ type: 'error', error: { type, message: 'x' } }]);
  });

  it('absorbs OpenAI-ordered input: no block_stop, finish before usage, usage after finish', () => {
    const frames = run([
      { type: 'start', id: 'chatcmpl-1', model: 'gpt-4.1' },
      { type: 'block_start', choice: 0, index: 0, block: { type: 'text' } },
      { type: 'text_delta', choice: 0, index: 0, text: 'Sure, ' },
      { type: 'block_start', choice: 0, index: 1, block: { type: 'tool_call', id: 'call_1', name: 'lookup' } },
      { type: 'tool_arguments_delta', choice: 0, index: 1, json: '{"q":1}' },
      { type: 'block_start', choice: 0, index: 2, block: { type: 'tool_call', id: 'call_2', name: 'lookup' } },
      { type: 'tool_arguments_delta', choice: 0, index: 2, json: '{"q":2}' },
      { type: 'finish', choice: 0, stopReason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 50, outputTokens: 20, cachedInputTokens: 32 } },
    ]);

    expect(names(frames)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    // message_start went out before usage was known: input 0, corrected in message_delta (SDKs take it from there).
    expect((frames[0].data.message as { usage: unknown }).usage).toEqual({
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
    expect(frames.filter((f) => f.event === 'content_block_start').map((f) => f.data.index)).toEqual([0, 1, 2]);
    expect(frames[11].data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 18, cache_read_input_tokens: 32, output_tokens: 20 },
    });
  });

  it('closes at end() when no usage follows finish, and opens text blocks for deltas without block_start', () => {
    const frames = run([
      { type: 'start', id: 'u', model: 'u' },
      { type: 'text_delta', choice: 0, index: 0, text: 'Hi' },
      { type: 'usage', usage: { inputTokens: 7, outputTokens: 3 } },
      { type: 'finish', choice: 0, stopReason: 'length' },
    ]);
    expect(payloads(frames).slice(2)).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'max_tokens', stop_sequence: null },
        usage: { input_tokens: 7, cache_read_input_tokens: 0, output_tokens: 3 },
      },
      { type: 'message_stop' },
    ]);
  });

  it('continues text interleaved with another block in a new block, keeping indexes contiguous', () => {
    const frames = run([
      { type: 'block_start', choice: 0, index: 0, block: { type: 'thinking' } },
      { type: 'thinking_delta', choice: 0, index: 0, text: 'a' },
      { type: 'block_start', choice: 0, index: 1, block: { type: 'text' } },
      { type: 'text_delta', choice: 0, index: 1, text: 'b' },
      { type: 'thinking_delta', choice: 0, index: 0, text: 'c' },
      { type: 'finish', choice: 0, stopReason: 'stop' },
    ]);
    expect(frames.filter((f) => f.event.startsWith('content_block')).map((f) => `${f.event}:${String(f.data.index)}`)).toEqual([
      'content_block_start:0',
      'content_block_delta:0',
      'content_block_stop:0',
      'content_block_start:1',
      'content_block_delta:1',
      'content_block_stop:1',
      'content_block_start:2',
      'content_block_delta:2',
      'content_block_stop:2',
    ]);
    expect(frames[8].data).toEqual({ type: 'content_block_start', index: 2, content_block: { type: 'thinking', thinking: '', signature: '' } });
  });

  it('names the stop sequence in message_delta', () => {
    const frames = run([
      { type: 'start', id: 'u', model: 'u' },
      { type: 'finish', choice: 0, stopReason: 'stop_sequence', stopSequence: 'END' },
    ]);
    expect(frames.find((f) => f.event === 'message_delta')?.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'stop_sequence', stop_sequence: 'END' },
      usage: { output_tokens: 0 },
    });
  });

  it('renders only choice 0', () => {
    const frames = run([
      { type: 'start', id: 'u', model: 'u' },
      { type: 'block_start', choice: 1, index: 0, block: { type: 'text' } },
      { type: 'text_delta', choice: 1, index: 0, text: 'other choice' },
      { type: 'block_start', choice: 0, index: 0, block: { type: 'text' } },
      { type: 'text_delta', choice: 0, index: 0, text: 'mine' },
      { type: 'finish', choice: 1, stopReason: 'length' },
      { type: 'finish', choice: 0, stopReason: 'stop' },
    ]);
    expect(JSON.stringify(frames)).not.toContain('other choice');
    expect(frames.find((f) => f.event === 'message_delta')?.data.delta).toEqual({ stop_reason: 'end_turn', stop_sequence: null });
  });

  it('closes an empty stream as a valid empty message', () => {
    expect(names(run([]))).toEqual(['message_start', 'ping', 'message_delta', 'message_stop']);
  });
});
