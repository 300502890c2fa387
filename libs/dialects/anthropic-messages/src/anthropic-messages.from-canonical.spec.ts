import type { CanonicalChatResponse, CanonicalStopReason, CanonicalUsage } from '@apitopmix/contracts';
import { anthropicFromCanonical, toToolInput } from './anthropic-messages.from-canonical';

const response = (
  overrides: Partial<CanonicalChatResponse['choices'][0]> = {},
  usage: CanonicalUsage = { inputTokens: 12, outputTokens: 9 },
): CanonicalChatResponse => ({
  id: 'chatcmpl-upstream-1',
  model: 'gpt-4.1-2025-04-14',
  choices: [{ index: 0, content: [{ type: 'text', text: 'Hello! How can I help you today?' }], stopReason: 'stop', ...overrides }],
  usage,
});

describe('anthropicFromCanonical', () => {
  it('renders the spec response shape, with its own msg_ id and the model the caller sent', () => {
    const message = anthropicFromCanonical(response(), { model: 'claude-sonnet-4-6' });
    expect(message).toEqual({
      id: expect.stringMatching(/^msg_[0-9A-Za-z]{24}$/),
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      content: [{ type: 'text', text: 'Hello! How can I help you today?' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 12, output_tokens: 9, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
    expect(anthropicFromCanonical(response(), { model: 'm' }).id).not.toBe(message.id);
  });

  it.each<[CanonicalStopReason, string]>([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['tool_calls', 'tool_use'],
    ['stop_sequence', 'stop_sequence'],
    ['content_filter', 'refusal'],
    ['error', 'end_turn'],
  ])('maps stop reason %s to %s', (stopReason, expected) => {
    expect(anthropicFromCanonical(response({ stopReason }), { model: 'm' }).stop_reason).toBe(expected);
  });

  it('names the stop sequence when the upstream says which', () => {
    expect(anthropicFromCanonical(response({ stopReason: 'stop_sequence', stopSequence: 'END' }), { model: 'm' })).toMatchObject({
      stop_reason: 'stop_sequence',
      stop_sequence: 'END',
    });
    expect(anthropicFromCanonical(response({ stopReason: 'stop', stopSequence: '###' }), { model: 'm' })).toMatchObject({
      stop_reason: 'stop_sequence',
      stop_sequence: '###',
    });
  });

  it('reports cache reads apart from input tokens, as Anthropic does', () => {
    const message = anthropicFromCanonical(response({}, { inputTokens: 1000, outputTokens: 50, cachedInputTokens: 800 }), { model: 'm' });
    expect(message.usage).toEqual({ input_tokens: 200, output_tokens: 50, cache_creation_input_tokens: 0, cache_read_input_tokens: 800 });
  });

  it('renders tool calls with parsed input, thinking with signatures, redacted thinking, and the Gemini signature extensions', () => {
    const message = anthropicFromCanonical(
      response({
        stopReason: 'tool_calls',
        content: [
          { type: 'thinking', text: 'Need the weather.', signature: 'EqQBCkYI' },
          { type: 'thinking', text: '', redacted: 'EmwKAhgB' },
          { type: 'thinking', text: 'Unsigned reasoning from another vendor.' },
          { type: 'text', text: 'Checking.', signature: 'gemini-text-sig' },
          { type: 'tool_call', id: 'call_abc', name: 'get_weather', arguments: '{"city":"Paris"}', signature: 'gemini-call-sig' },
          { type: 'tool_call', id: '', name: 'noop', arguments: '' },
          { type: 'image', url: 'https://example.com/generated.png' },
        ],
      }),
      { model: 'claude-sonnet-4-6' },
    );
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Need the weather.', signature: 'EqQBCkYI' },
      { type: 'redacted_thinking', data: 'EmwKAhgB' },
      { type: 'thinking', thinking: 'Unsigned reasoning from another vendor.', signature: '' },
      { type: 'text', text: 'Checking.', signature: 'gemini-text-sig' },
      { type: 'tool_use', id: 'call_abc', name: 'get_weather', input: { city: 'Paris' }, signature: 'gemini-call-sig' },
      { type: 'tool_use', id: expect.stringMatching(/^toolu_[0-9A-Za-z]{24}$/), name: 'noop', input: {} },
    ]);
  });

  it('renders only choice 0', () => {
    const canonical = response();
    canonical.choices = [
      { index: 1, content: [{ type: 'text', text: 'second' }], stopReason: 'length' },
      { index: 0, content: [{ type: 'text', text: 'first' }], stopReason: 'stop' },
    ];
    expect(anthropicFromCanonical(canonical, { model: 'm' })).toMatchObject({ content: [{ type: 'text', text: 'first' }], stop_reason: 'end_turn' });
  });

  it('renders a response without choices as an empty end_turn message', () => {
    expect(anthropicFromCanonical({ ...response(), choices: [] }, { model: 'm' })).toMatchObject({ content: [], stop_reason: 'end_turn' });
  });
});

describe('toToolInput', () => {
  it.each([
    ['{"a":1,"b":[true]}', { a: 1, b: [true] }],
    ['', {}],
    ['{"city":"Par', {}],
    ['[1,2]', {}],
    ['"text"', {}],
    ['null', {}],
  ])('turns %j into %j', (args, expected) => {
    expect(toToolInput(args)).toEqual(expected);
  });
});
