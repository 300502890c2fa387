import { fromAnthropicResponse, fromAnthropicStopReason, fromAnthropicUsage } from './anthropic.response';
import type { AnthropicResponseBody } from './anthropic.types';

/** Shaped after Anthropic's documented responses. */
const textResponse: AnthropicResponseBody = {
  id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-6',
  content: [{ type: 'text', text: 'Hello! How can I help you today?' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 12, output_tokens: 9, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
};

const toolResponse = {
  id: 'msg_01Aq9w938a90dw8q',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-6',
  content: [
    {
      type: 'thinking',
      thinking: 'The user wants the weather in San Francisco. I should call get_weather.',
      signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds',
    },
    { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP' },
    { type: 'text', text: 'I will check the weather.', citations: null },
    { type: 'tool_use', id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', input: { location: 'San Francisco, CA', unit: 'celsius' } },
    { type: 'server_tool_use', id: 'srvtoolu_01', name: 'web_search', input: { query: 'weather' } },
    { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_01', content: [] },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: {
    input_tokens: 472,
    output_tokens: 89,
    cache_creation_input_tokens: 100,
    cache_read_input_tokens: 2048,
    output_tokens_details: { thinking_tokens: 40 },
  },
} as AnthropicResponseBody;

describe('fromAnthropicResponse', () => {
  it('reads a text response', () => {
    expect(fromAnthropicResponse(textResponse)).toEqual({
      id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
      model: 'claude-sonnet-4-6',
      choices: [{ index: 0, content: [{ type: 'text', text: 'Hello! How can I help you today?' }], stopReason: 'stop' }],
      usage: { inputTokens: 12, outputTokens: 9 },
    });
  });

  it('reads thinking, redacted thinking, text and tool use, leaving server-tool blocks out', () => {
    const canonical = fromAnthropicResponse(toolResponse);
    expect(canonical.choices[0]).toEqual({
      index: 0,
      stopReason: 'tool_calls',
      content: [
        {
          type: 'thinking',
          text: 'The user wants the weather in San Francisco. I should call get_weather.',
          signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds',
        },
        { type: 'thinking', text: '', redacted: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP' },
        { type: 'text', text: 'I will check the weather.' },
        { type: 'tool_call', id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', arguments: '{"location":"San Francisco, CA","unit":"celsius"}' },
      ],
    });
    // input 472 + cache write 100 + cache read 2,048
    expect(canonical.usage).toEqual({ inputTokens: 2620, outputTokens: 89, cachedInputTokens: 2048, reasoningTokens: 40 });
  });

  it('names the stop sequence', () => {
    expect(fromAnthropicResponse({ ...textResponse, stop_reason: 'stop_sequence', stop_sequence: 'END' }).choices[0]).toMatchObject({
      stopReason: 'stop_sequence',
      stopSequence: 'END',
    });
  });
});

describe('fromAnthropicStopReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['max_tokens', 'length'],
    ['stop_sequence', 'stop_sequence'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'stop'],
    ['model_context_window_exceeded', 'length'],
    [null, 'stop'],
    ['something_new', 'stop'],
  ])('%s → %s', (reason, expected) => {
    expect(fromAnthropicStopReason(reason)).toBe(expected);
  });
});

describe('fromAnthropicUsage', () => {
  it('treats missing and null counts as 0', () => {
    expect(fromAnthropicUsage(undefined)).toEqual({ inputTokens: 0, outputTokens: 0 });
    expect(fromAnthropicUsage({ input_tokens: 5, output_tokens: null, cache_read_input_tokens: null })).toEqual({ inputTokens: 5, outputTokens: 0 });
  });
});
