import { GatewayError } from '@apitopmix/platform/errors';
import { toAnthropicError } from './anthropic-errors';
import { estimateAnthropicRequestTokens, parseAnthropicMessagesRequest } from './anthropic-messages.request';

/** The spec's own cURL example. */
const valid = {
  model: 'claude-sonnet-4-6',
  max_tokens: 500,
  system: 'You are a helpful assistant.',
  messages: [{ role: 'user', content: 'Explain quantum computing in simple terms.' }],
};

const user = (content: unknown) => ({ ...valid, messages: [{ role: 'user', content }] });
const assistant = (content: unknown) => ({
  ...valid,
  messages: [
    { role: 'user', content: 'hi' },
    { role: 'assistant', content },
  ],
});

function errorOf(body: unknown): GatewayError {
  try {
    parseAnthropicMessagesRequest(body);
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected a validation error');
}

describe('parseAnthropicMessagesRequest', () => {
  it('accepts the spec example and keeps unknown top-level fields', () => {
    const parsed = parseAnthropicMessagesRequest({ ...valid, service_tier: 'auto', some_future_field: { a: 1 } });
    expect(parsed).toEqual({ ...valid, service_tier: 'auto', some_future_field: { a: 1 } });
  });

  it('accepts every field of the spec table and every documented optional field', () => {
    const body = {
      ...valid,
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
      temperature: 0.7,
      top_p: 0.9,
      top_k: 40,
      stream: true,
      stop_sequences: ['END'],
      metadata: { user_id: 'user-42' },
      tools: [
        { name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
        { type: 'web_search_20250305', name: 'web_search', max_uses: 3 },
      ],
      tool_choice: { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true },
      thinking: { type: 'enabled', budget_tokens: 1024 },
      max_tokens: 2048,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Weather needed.', signature: 'sig-1' },
            { type: 'redacted_thinking', data: 'opaque' },
            { type: 'text', text: 'Checking.', signature: 'gemini-text-sig' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' }, signature: 'gemini-call-sig' },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny', is_error: false },
            { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'Also warm' }] },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'kept for Anthropic upstreams' } },
          ],
        },
      ],
    };
    expect(parseAnthropicMessagesRequest(body)).toEqual(body);
  });

  it.each([
    ['disabled', { type: 'disabled' }],
    ['adaptive', { type: 'adaptive' }],
    ['budget just below max_tokens', { type: 'enabled', budget_tokens: 499 + 1024 }],
  ])('accepts thinking %s', (_label, thinking) => {
    expect(() => parseAnthropicMessagesRequest({ ...valid, max_tokens: 1524, thinking })).not.toThrow();
  });

  it('treats null optional fields as absent', () => {
    expect(() =>
      parseAnthropicMessagesRequest({ ...valid, temperature: null, top_k: null, system: null, tools: null, metadata: { user_id: null } }),
    ).not.toThrow();
  });

  it.each([
    // The spec's table
    [{ max_tokens: 5, messages: valid.messages }, 'model', 'model: Field required'],
    [{ ...valid, model: '' }, 'model', 'model: String should have at least 1 character'],
    [{ ...valid, model: 42 }, 'model', 'model: Input should be a valid string'],
    [{ model: 'claude-sonnet-4-6', max_tokens: 5 }, 'messages', 'messages: Field required'],
    [{ ...valid, messages: [] }, 'messages', 'messages: List should have at least 1 item'],
    [{ ...valid, messages: 'hi' }, 'messages', 'messages: Input should be a valid list'],
    [{ model: 'claude-sonnet-4-6', messages: valid.messages }, 'max_tokens', 'max_tokens: Field required'],
    [{ ...valid, max_tokens: 0 }, 'max_tokens', 'max_tokens: Input should be greater than or equal to 1'],
    [{ ...valid, max_tokens: 1.5 }, 'max_tokens', 'max_tokens: Input should be a valid integer'],
    [{ ...valid, system: 5 }, 'system', 'system: Input should be a valid string or a valid list'],
    [{ ...valid, system: [{ type: 'text' }] }, 'system.0.text', 'system.0.text: Field required'],
    [{ ...valid, system: [{ type: 'image', text: 'x' }] }, 'system.0.type', "system.0.type: Input should be 'text'"],
    [{ ...valid, temperature: 1.5 }, 'temperature', 'temperature: Input should be less than or equal to 1'],
    [{ ...valid, temperature: -0.1 }, 'temperature', 'temperature: Input should be greater than or equal to 0'],
    [{ ...valid, stream: 'yes' }, 'stream', 'stream: Input should be a valid boolean'],
    [{ ...valid, top_p: 1.01 }, 'top_p', 'top_p: Input should be less than or equal to 1'],
    [{ ...valid, top_p: -1 }, 'top_p', 'top_p: Input should be greater than or equal to 0'],
    // Further fields
    [{ ...valid, top_k: -1 }, 'top_k', 'top_k: Input should be greater than or equal to 0'],
    [{ ...valid, top_k: 2.5 }, 'top_k', 'top_k: Input should be a valid integer'],
    [{ ...valid, stop_sequences: 'END' }, 'stop_sequences', 'stop_sequences: Input should be a valid list'],
    [{ ...valid, stop_sequences: ['a', 3] }, 'stop_sequences.1', 'stop_sequences.1: Input should be a valid string'],
    [{ ...valid, metadata: { user_id: 7 } }, 'metadata.user_id', 'metadata.user_id: Input should be a valid string'],
    [{ ...valid, metadata: { session: 'x' } }, 'metadata.session', 'metadata.session: Extra inputs are not permitted'],
    [{ ...valid, tools: [{ name: 'f' }] }, 'tools.0.input_schema', 'tools.0.input_schema: Field required'],
    [{ ...valid, tools: [{ input_schema: {} }] }, 'tools.0.name', 'tools.0.name: Field required'],
    [{ ...valid, tools: [{ name: 'f', input_schema: {}, description: 1 }] }, 'tools.0.description', 'tools.0.description: Input should be a valid string'],
    [{ ...valid, tools: {} }, 'tools', 'tools: Input should be a valid list'],
    [{ ...valid, tool_choice: { type: 'required' } }, 'tool_choice.type', "tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'"],
    [{ ...valid, tool_choice: { type: 'tool' } }, 'tool_choice.name', 'tool_choice.name: Field required'],
    [{ ...valid, tool_choice: { type: 'auto', disable_parallel_tool_use: 'yes' } }, 'tool_choice.disable_parallel_tool_use', /Input should be a valid boolean/],
    [{ ...valid, thinking: { type: 'enabled' } }, 'thinking.budget_tokens', 'thinking.budget_tokens: Field required'],
    [{ ...valid, max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 1023 } }, 'thinking.budget_tokens', /greater than or equal to 1024/],
    [{ ...valid, max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048.5 } }, 'thinking.budget_tokens', /valid integer/],
    [{ ...valid, max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 2048 } }, 'thinking.budget_tokens', /less than max_tokens \(2048\)/],
    [{ ...valid, thinking: { type: 'on' } }, 'thinking.type', "thinking.type: Input should be 'enabled', 'disabled' or 'adaptive'"],
    // Messages and their blocks
    [{ ...valid, messages: [{ role: 'system', content: 'x' }] }, 'messages.0.role', "messages.0.role: Input should be 'user' or 'assistant'"],
    [{ ...valid, messages: [{ role: 'user' }] }, 'messages.0.content', 'messages.0.content: Field required'],
    [user(5), 'messages.0.content', 'messages.0.content: Input should be a valid string or a valid list'],
    [user([{ text: 'x' }]), 'messages.0.content.0.type', 'messages.0.content.0.type: Field required'],
    [user([{ type: 'text', text: 3 }]), 'messages.0.content.0.text', 'messages.0.content.0.text: Input should be a valid string'],
    [user(['hello']), 'messages.0.content.0', 'messages.0.content.0: Input should be a valid dictionary'],
    [user([{ type: 'image' }]), 'messages.0.content.0.source', 'messages.0.content.0.source: Field required'],
    [
      user([{ type: 'image', source: { type: 'file', file_id: 'f' } }]),
      'messages.0.content.0.source.type',
      "messages.0.content.0.source.type: Input should be 'base64' or 'url'",
    ],
    [
      user([{ type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: 'x' } }]),
      'messages.0.content.0.source.media_type',
      "messages.0.content.0.source.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'",
    ],
    [user([{ type: 'image', source: { type: 'base64', media_type: 'image/png' } }]), 'messages.0.content.0.source.data', /Field required/],
    [user([{ type: 'image', source: { type: 'url' } }]), 'messages.0.content.0.source.url', /Field required/],
    [assistant([{ type: 'tool_use', name: 'f', input: {} }]), 'messages.1.content.0.id', 'messages.1.content.0.id: Field required'],
    [assistant([{ type: 'tool_use', id: 't', input: {} }]), 'messages.1.content.0.name', /Field required/],
    [assistant([{ type: 'tool_use', id: 't', name: 'f', input: '{}' }]), 'messages.1.content.0.input', /valid dictionary/],
    [assistant([{ type: 'tool_use', id: 't', name: 'f', input: {}, signature: 5 }]), 'messages.1.content.0.signature', /valid string/],
    [user([{ type: 'tool_result', content: 'x' }]), 'messages.0.content.0.tool_use_id', /Field required/],
    [user([{ type: 'tool_result', tool_use_id: 't', content: 5 }]), 'messages.0.content.0.content', /valid string or a valid list/],
    [user([{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text' }] }]), 'messages.0.content.0.content.0.text', /Field required/],
    [user([{ type: 'tool_result', tool_use_id: 't', is_error: 'no' }]), 'messages.0.content.0.is_error', /valid boolean/],
    [assistant([{ type: 'thinking', thinking: 'x' }]), 'messages.1.content.0.signature', 'messages.1.content.0.signature: Field required'],
    [assistant([{ type: 'thinking', signature: 's' }]), 'messages.1.content.0.thinking', /Field required/],
    [assistant([{ type: 'redacted_thinking' }]), 'messages.1.content.0.data', /Field required/],
  ])('rejects %j naming %s', (body, param, message) => {
    const error = errorOf(body);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
    expect(error.message.startsWith(`${param}: `)).toBe(true);
    expect(toAnthropicError(error)).toEqual({ status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: error.message } } });
  });

  it.each([[[1, 2]], [null], ['text'], [42]])('rejects the non-object body %j', (body) => {
    const error = errorOf(body);
    expect(error.message).toBe('The request body must be a JSON object.');
    expect(error.param).toBeUndefined();
  });
});

describe('estimateAnthropicRequestTokens', () => {
  it('adds the prompt estimate to max_tokens, counting an image as 1,600 tokens whatever its size', () => {
    const text = parseAnthropicMessagesRequest({ ...valid, system: 'x'.repeat(40), messages: [{ role: 'user', content: 'y'.repeat(400) }] });
    expect(estimateAnthropicRequestTokens(text)).toEqual({ inputTokens: 10 + 100, outputTokens: 500 });

    const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'A'.repeat(1_000_000) } };
    const withImage = parseAnthropicMessagesRequest({ ...valid, system: undefined, messages: [{ role: 'user', content: [image] }] });
    expect(estimateAnthropicRequestTokens(withImage)).toEqual({ inputTokens: 1_600, outputTokens: 500 });
  });
});
