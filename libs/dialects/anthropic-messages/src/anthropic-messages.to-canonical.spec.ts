import type { CanonicalChatRequest } from '@apitopmix/contracts';
import { GatewayError } from '@apitopmix/platform/errors';
import { parseAnthropicMessagesRequest } from './anthropic-messages.request';
import { anthropicToCanonical } from './anthropic-messages.to-canonical';

const base = { model: 'claude-sonnet-4-6', max_tokens: 500 };
const convert = (body: Record<string, unknown>): CanonicalChatRequest => anthropicToCanonical(parseAnthropicMessagesRequest({ ...base, ...body }));

describe('anthropicToCanonical', () => {
  it('translates the spec example: system string, user string, max_tokens', () => {
    expect(convert({ system: 'You are a helpful assistant.', messages: [{ role: 'user', content: 'Explain quantum computing.' }] })).toEqual({
      model: 'claude-sonnet-4-6',
      system: [{ type: 'text', text: 'You are a helpful assistant.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Explain quantum computing.' }] }],
      maxOutputTokens: 500,
      stream: false,
    });
  });

  it('keeps system blocks in order, without cache_control', () => {
    const canonical = convert({
      system: [
        { type: 'text', text: 'One.', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'Two.' },
      ],
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(canonical.system).toEqual([
      { type: 'text', text: 'One.' },
      { type: 'text', text: 'Two.' },
    ]);
  });

  it('omits an empty system string', () => {
    expect(convert({ system: '', messages: [{ role: 'user', content: 'hi' }] }).system).toBeUndefined();
  });

  it('translates sampling, stop sequences, stream and metadata.user_id', () => {
    const canonical = convert({
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.3,
      top_p: 0.8,
      top_k: 20,
      stop_sequences: ['END', '###'],
      stream: true,
      metadata: { user_id: 'user-42' },
    });
    expect(canonical).toMatchObject({ temperature: 0.3, topP: 0.8, topK: 20, stop: ['END', '###'], stream: true, user: 'user-42' });
  });

  it('translates base64 and url images', () => {
    const canonical = convert({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
            { type: 'text', text: 'Compare.' },
          ],
        },
      ],
    });
    expect(canonical.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'image', mediaType: 'image/jpeg', data: '/9j/4AAQ' },
          { type: 'image', url: 'https://example.com/a.png' },
          { type: 'text', text: 'Compare.' },
        ],
      },
    ]);
  });

  it('turns tool_use into tool calls and tool_result blocks into tool messages named after their call', () => {
    const canonical = convert({
      tools: [
        { name: 'get_weather', description: 'Current weather', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
      ],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking both.' },
            { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'toolu_02', name: 'get_weather', input: { city: 'Rome' }, signature: 'gemini-sig' },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_01', content: '18°C' },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_02',
              is_error: true,
              content: [
                { type: 'text', text: 'timeout' },
                { type: 'image', source: { type: 'url', url: 'https://example.com/err.png' } },
              ],
            },
            { type: 'text', text: 'Summarise please.' },
          ],
        },
      ],
    });

    expect(canonical.tools).toEqual([
      { name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
    ]);
    expect(canonical.toolChoice).toEqual({ type: 'required' });
    expect(canonical.parallelToolCalls).toBe(false);
    expect(canonical.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking both.' },
          { type: 'tool_call', id: 'toolu_01', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { type: 'tool_call', id: 'toolu_02', name: 'get_weather', arguments: '{"city":"Rome"}', signature: 'gemini-sig' },
        ],
      },
      {
        role: 'tool',
        content: [
          { type: 'tool_result', toolCallId: 'toolu_01', name: 'get_weather', content: [{ type: 'text', text: '18°C' }] },
          {
            type: 'tool_result',
            toolCallId: 'toolu_02',
            name: 'get_weather',
            isError: true,
            content: [
              { type: 'text', text: 'timeout' },
              { type: 'image', url: 'https://example.com/err.png' },
            ],
          },
        ],
      },
      { role: 'user', content: [{ type: 'text', text: 'Summarise please.' }] },
    ]);
  });

  it.each([
    [{ type: 'auto' }, { type: 'auto' }],
    [{ type: 'none' }, { type: 'none' }],
    [{ type: 'any' }, { type: 'required' }],
    [
      { type: 'tool', name: 'f' },
      { type: 'tool', name: 'f' },
    ],
  ])('maps tool_choice %j to %j', (toolChoice, expected) => {
    const canonical = convert({
      messages: [{ role: 'user', content: 'hi' }],
      tools: [{ name: 'f', input_schema: { type: 'object' } }],
      tool_choice: toolChoice,
    });
    expect(canonical.toolChoice).toEqual(expected);
    expect(canonical.parallelToolCalls).toBeUndefined();
  });

  it('keeps thinking with its signature, text signatures and redacted thinking', () => {
    const canonical = convert({
      max_tokens: 4096,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [
        { role: 'user', content: 'Think.' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Let me see.', signature: 'EqQBCkYIBxgCKkA' },
            { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix' },
            { type: 'thinking', thinking: 'Foreign, unsigned.', signature: '' },
            { type: 'text', text: 'Done.', signature: 'gemini-text-sig' },
          ],
        },
      ],
    });
    expect(canonical.thinking).toEqual({ enabled: true, budgetTokens: 2048, includeThoughts: true });
    expect(canonical.messages[1].content).toEqual([
      { type: 'thinking', text: 'Let me see.', signature: 'EqQBCkYIBxgCKkA' },
      { type: 'thinking', text: '', redacted: 'EmwKAhgBEgy3va3pzix' },
      { type: 'thinking', text: 'Foreign, unsigned.' },
      { type: 'text', text: 'Done.', signature: 'gemini-text-sig' },
    ]);
  });

  it.each([
    [{ type: 'disabled' }, { enabled: false }],
    [{ type: 'adaptive' }, { enabled: true, includeThoughts: true }],
  ])('maps thinking %j', (thinking, expected) => {
    expect(convert({ thinking, messages: [{ role: 'user', content: 'hi' }] }).thinking).toEqual(expected);
  });

  it('carries server tools and unknown top-level fields in extensions.anthropic', () => {
    const webSearch = { type: 'web_search_20250305', name: 'web_search', max_uses: 2 };
    const canonical = convert({
      messages: [{ role: 'user', content: 'hi' }],
      tools: [{ type: 'custom', name: 'f', input_schema: { type: 'object' } }, webSearch],
      service_tier: 'standard_only',
      container: 'c-1',
    });
    expect(canonical.tools).toEqual([{ name: 'f', parameters: { type: 'object' } }]);
    expect(canonical.extensions).toEqual({ anthropic: { tools: [webSearch], service_tier: 'standard_only', container: 'c-1' } });
  });

  it.each([
    [[{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'x' } }], 'messages.0.content.0.type', 'document'],
    [
      [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'search_result', source: 's', title: 't', content: [] }] }],
      'messages.0.content.0.content.0.type',
      'search_result',
    ],
  ])('refuses blocks it cannot translate, naming them: %j', (content, param, type) => {
    let error: unknown;
    try {
      convert({ messages: [{ role: 'user', content }] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 400, param, message: `${param}: content blocks of type '${type}' can only be sent to Claude models` });
  });

  it('refuses tool_use in a user message and tool_result in an assistant message', () => {
    expect(() => convert({ messages: [{ role: 'user', content: [{ type: 'tool_use', id: 't', name: 'f', input: {} }] }] })).toThrow(
      expect.objectContaining({ param: 'messages.0.content.0.type' }),
    );
    expect(() =>
      convert({
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: [{ type: 'tool_result', tool_use_id: 't', content: 'x' }] },
        ],
      }),
    ).toThrow(expect.objectContaining({ param: 'messages.1.content.0.type' }));
  });
});
