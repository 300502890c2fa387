import type { CanonicalChatRequest, CanonicalMessage } from '@apitopmix/contracts';
import { GatewayError } from '@apitopmix/platform/errors';
import { anthropicChatFormat, toAnthropicRequest, toImageSource } from './anthropic.chat';

const hello: CanonicalMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'Hello!' }] }];
const request = (overrides: Partial<CanonicalChatRequest> = {}): CanonicalChatRequest => ({
  model: 'claude-sonnet-4-6',
  messages: hello,
  stream: false,
  ...overrides,
});
const context = { upstreamModel: 'claude-sonnet-4-6-20260101', maxOutputTokens: 64_000 };

describe('toAnthropicRequest', () => {
  it('writes the minimal body: upstream model, default max_tokens, messages', () => {
    expect(anthropicChatFormat.toUpstream(request(), context)).toEqual({
      model: 'claude-sonnet-4-6-20260101',
      max_tokens: 4096,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello!' }] }],
    });
  });

  it.each([
    [undefined, 64_000, 4096],
    [undefined, 2_000, 2_000],
    [undefined, undefined, 4096],
    [500, 64_000, 500],
    [100_000, 64_000, 64_000],
  ])('max_tokens: asked %s with model limit %s gives %i', (asked, limit, expected) => {
    expect(toAnthropicRequest(request({ maxOutputTokens: asked }), { upstreamModel: 'm', maxOutputTokens: limit }).max_tokens).toBe(expected);
  });

  it('maps system parts to system blocks, sampling, stop, stream and user', () => {
    const body = toAnthropicRequest(
      request({
        system: [
          { type: 'text', text: 'Be brief.' },
          { type: 'text', text: '' },
          { type: 'text', text: 'Use French.', signature: 'gemini' },
        ],
        temperature: 0.4,
        topP: 0.9,
        topK: 30,
        stop: ['END'],
        stream: true,
        user: 'user-42',
        seed: 7,
        presencePenalty: 1,
        frequencyPenalty: 1,
      }),
      context,
    );
    expect(body).toEqual({
      model: 'claude-sonnet-4-6-20260101',
      max_tokens: 4096,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello!' }] }],
      system: [
        { type: 'text', text: 'Be brief.' },
        { type: 'text', text: 'Use French.' },
      ],
      temperature: 0.4,
      top_k: 30,
      stop_sequences: ['END'],
      stream: true,
      metadata: { user_id: 'user-42' },
    });
  });

  it.each([
    [2, 1],
    [1.5, 1],
    [1, 1],
    [0.2, 0.2],
    [0, 0],
  ])('clamps temperature %d to %d (values above Anthropic maximum are clamped)', (temperature, expected) => {
    expect(toAnthropicRequest(request({ temperature }), context).temperature).toBe(expected);
  });

  it('refuses n > 1 naming n, accepts n = 1', () => {
    let error: unknown;
    try {
      toAnthropicRequest(request({ n: 3 }), context);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 400, param: 'n', message: expect.stringMatching(/'n'.*must be 1/) });
    expect(() => toAnthropicRequest(request({ n: 1 }), context)).not.toThrow();
  });

  it('turns tool messages into user tool_result blocks and merges consecutive same-role messages', () => {
    const body = toAnthropicRequest(
      request({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
          { role: 'user', content: [{ type: 'text', text: 'Celsius please.' }] },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: '' },
              { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', signature: 'gemini-sig' },
            ],
          },
          { role: 'assistant', content: [{ type: 'tool_call', id: 'call:2', name: 'get_weather', arguments: 'not json' }] },
          { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'call_1', name: 'get_weather', content: [{ type: 'text', text: '18°C' }] }] },
          { role: 'user', content: [{ type: 'text', text: 'And Rome?' }] },
          { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'call:2', content: [], isError: true }] },
        ],
      }),
      context,
    );
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Weather in Paris and Rome?' },
          { type: 'text', text: 'Celsius please.' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'get_weather', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: [{ type: 'text', text: '18°C' }] },
          { type: 'tool_result', tool_use_id: 'call_2', is_error: true },
          { type: 'text', text: 'And Rome?' },
        ],
      },
    ]);
  });

  it('sends signed and redacted thinking back, and drops unsigned (foreign) thinking, and messages left empty', () => {
    const body = toAnthropicRequest(
      request({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Q1' }] },
          { role: 'assistant', content: [{ type: 'thinking', text: 'DeepSeek reasoning, unsigned.' }] },
          { role: 'user', content: [{ type: 'text', text: 'Q2' }] },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', text: 'Mine.', signature: 'EqQBCkYI' },
              { type: 'thinking', text: '', redacted: 'EmwKAhgB' },
              { type: 'thinking', text: 'Foreign.' },
              { type: 'text', text: 'A2' },
            ],
          },
        ],
      }),
      context,
    );
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Q1' },
          { type: 'text', text: 'Q2' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Mine.', signature: 'EqQBCkYI' },
          { type: 'redacted_thinking', data: 'EmwKAhgB' },
          { type: 'text', text: 'A2' },
        ],
      },
    ]);
  });

  it('maps tools, tool choice and parallel tool calls', () => {
    const tools = [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }];
    const base = request({ tools });
    expect(toAnthropicRequest(base, context).tools).toEqual([
      { name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
    ]);
    expect(toAnthropicRequest(base, context).tool_choice).toBeUndefined();
    expect(toAnthropicRequest({ ...base, toolChoice: { type: 'auto' } }, context).tool_choice).toEqual({ type: 'auto' });
    expect(toAnthropicRequest({ ...base, toolChoice: { type: 'required' } }, context).tool_choice).toEqual({ type: 'any' });
    expect(toAnthropicRequest({ ...base, toolChoice: { type: 'none' } }, context).tool_choice).toEqual({ type: 'none' });
    expect(toAnthropicRequest({ ...base, toolChoice: { type: 'tool', name: 'get_weather' } }, context).tool_choice).toEqual({
      type: 'tool',
      name: 'get_weather',
    });
    expect(toAnthropicRequest({ ...base, parallelToolCalls: false }, context).tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(toAnthropicRequest({ ...base, toolChoice: { type: 'required' }, parallelToolCalls: false }, context).tool_choice).toEqual({
      type: 'any',
      disable_parallel_tool_use: true,
    });
    expect(toAnthropicRequest({ ...base, toolChoice: { type: 'none' }, parallelToolCalls: false }, context).tool_choice).toEqual({ type: 'none' });
    // Anthropic refuses tool_choice without tools.
    expect(toAnthropicRequest(request({ toolChoice: { type: 'required' } }), context).tool_choice).toBeUndefined();
    // A schema without `type` gets Anthropic's required object type.
    expect(toAnthropicRequest(request({ tools: [{ name: 'noop', parameters: {} }] }), context).tools).toEqual([
      { name: 'noop', input_schema: { type: 'object' } },
    ]);
  });

  it('appends server tools and Anthropic-only fields from extensions.anthropic, never overriding computed fields', () => {
    const webSearch = { type: 'web_search_20250305', name: 'web_search' };
    const body = toAnthropicRequest(
      request({
        tools: [{ name: 'f', parameters: { type: 'object' } }],
        extensions: {
          anthropic: { tools: [webSearch], service_tier: 'auto', model: 'claude-opus-4-6', max_tokens: 1, stream: true },
          openai: { logprobs: true },
        },
      }),
      context,
    );
    expect(body.tools).toEqual([{ name: 'f', input_schema: { type: 'object' } }, webSearch]);
    expect(body).toMatchObject({ model: 'claude-sonnet-4-6-20260101', max_tokens: 4096, service_tier: 'auto' });
    expect(body.stream).toBeUndefined();
    expect(body.logprobs).toBeUndefined();
  });

  it('maps json_schema to output_config.format and json_object to a system instruction', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };
    expect(toAnthropicRequest(request({ responseFormat: { type: 'json_schema', name: 'x', schema, strict: true } }), context).output_config).toEqual({
      format: { type: 'json_schema', schema },
    });
    const jsonObject = toAnthropicRequest(request({ system: [{ type: 'text', text: 'Be brief.' }], responseFormat: { type: 'json_object' } }), context);
    expect(jsonObject.system).toEqual([
      { type: 'text', text: 'Be brief.' },
      { type: 'text', text: 'Respond with a single valid JSON object and nothing else.' },
    ]);
    expect(jsonObject.output_config).toBeUndefined();
    expect(toAnthropicRequest(request({ responseFormat: { type: 'text' } }), context).system).toBeUndefined();
  });

  it('writes images as base64 or url sources', () => {
    const body = toAnthropicRequest(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', mediaType: 'image/webp', data: 'UklGRhIAAABXRUJQ' },
              { type: 'image', url: 'https://example.com/cat.jpg' },
              { type: 'image', url: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=' },
              { type: 'image', data: '/9j/4AAQSkZJRg' },
            ],
          },
        ],
      }),
      context,
    );
    expect(body.messages[0].content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/webp', data: 'UklGRhIAAABXRUJQ' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/gif', data: 'R0lGODlhAQABAAAAACw=' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQSkZJRg' } },
    ]);
  });

  it.each([
    ['iVBORw0KGgoAAAANSUhEUg', 'image/png'],
    ['R0lGODdh', 'image/gif'],
    ['AAAA', 'image/png'],
  ])('reads the media type of %s from its bytes', (data, mediaType) => {
    expect(toImageSource({ type: 'image', data })).toEqual({ type: 'base64', media_type: mediaType, data });
  });

  describe('thinking', () => {
    const thinking = (maxOutputTokens: number | undefined, budgetTokens?: number, limit = 64_000) =>
      toAnthropicRequest(request({ maxOutputTokens, thinking: { enabled: true, budgetTokens } }), { upstreamModel: 'm', maxOutputTokens: limit });

    it.each([
      // [caller max_tokens, requested budget, model limit] → [max_tokens, budget_tokens]
      [500, undefined, 64_000, 1524, 1024],
      [1024, undefined, 64_000, 2048, 1024],
      [2000, undefined, 64_000, 2000, 1024],
      [4096, undefined, 64_000, 4096, 2048],
      [undefined, undefined, 64_000, 4096, 2048],
      [2000, 3000, 64_000, 5000, 3000],
      [8000, 3000, 64_000, 8000, 3000],
      [2000, 500, 64_000, 2000, 1024],
      [4096, 10_000, 8_192, 8_192, 8_191],
      [500, undefined, 1_500, 1_500, 1024],
    ])('max_tokens %s, budget %s, limit %i → max_tokens %i, budget %i', (maxTokens, budget, limit, expectedMax, expectedBudget) => {
      const body = thinking(maxTokens, budget, limit);
      expect(body.max_tokens).toBe(expectedMax);
      expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: expectedBudget });
      expect(body.thinking!.budget_tokens).toBeGreaterThanOrEqual(1024);
      expect(body.thinking!.budget_tokens).toBeLessThan(body.max_tokens);
      expect(body.max_tokens).toBeLessThanOrEqual(limit);
    });

    it('is left off when even the model limit cannot hold 1,024 thinking tokens and an answer', () => {
      const body = thinking(500, undefined, 1_024);
      expect(body.thinking).toBeUndefined();
      expect(body.max_tokens).toBe(500);
    });

    it('drops temperature and top_k and raises top_p to 0.95, as Anthropic requires with thinking', () => {
      const body = toAnthropicRequest(request({ temperature: 0.2, topK: 5, topP: 0.5, thinking: { enabled: true } }), context);
      expect(body).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 2048 }, top_p: 0.95 });
      expect(body.temperature).toBeUndefined();
      expect(body.top_k).toBeUndefined();
      expect(toAnthropicRequest(request({ topP: 0.98, thinking: { enabled: true } }), context).top_p).toBe(0.98);
      expect(toAnthropicRequest(request({ temperature: 0.2, topK: 5, topP: 0.5 }), context)).toMatchObject({ temperature: 0.2, top_k: 5 });
      expect(toAnthropicRequest(request({ temperature: 0.2, topP: 0.5 }), context)).not.toHaveProperty('top_p');
      expect(toAnthropicRequest(request({ topP: 0.5 }), context)).toMatchObject({ top_p: 0.5 });
    });

    it('is turned on by the -thinking variant context with its budget, unless the caller turned it off', () => {
      const variant = { upstreamModel: 'claude-sonnet-4-6', maxOutputTokens: 64_000, thinking: { budgetTokens: 8_000 } };
      expect(toAnthropicRequest(request({ maxOutputTokens: 500 }), variant)).toMatchObject({
        max_tokens: 8_500,
        thinking: { type: 'enabled', budget_tokens: 8_000 },
      });
      expect(toAnthropicRequest(request({ maxOutputTokens: 500, thinking: { enabled: true, budgetTokens: 2_000 } }), variant)).toMatchObject({
        max_tokens: 2_500,
        thinking: { budget_tokens: 2_000 },
      });
      expect(toAnthropicRequest(request({ thinking: { enabled: false } }), variant).thinking).toBeUndefined();
      expect(toAnthropicRequest(request({ maxOutputTokens: 500 }), { ...variant, thinking: {} })).toMatchObject({
        max_tokens: 1524,
        thinking: { budget_tokens: 1024 },
      });
    });

    it('is left off when a tool is forced (Anthropic refuses both)', () => {
      const tools = [{ name: 'f', parameters: { type: 'object' } }];
      expect(toAnthropicRequest(request({ tools, toolChoice: { type: 'required' }, thinking: { enabled: true } }), context).thinking).toBeUndefined();
      expect(toAnthropicRequest(request({ tools, toolChoice: { type: 'tool', name: 'f' }, thinking: { enabled: true } }), context).thinking).toBeUndefined();
      expect(toAnthropicRequest(request({ tools, toolChoice: { type: 'auto' }, thinking: { enabled: true } }), context).thinking).toBeDefined();
    });

    it('is left off when a tool turn in progress started without signed thinking (history from another vendor)', () => {
      const messages = (assistant: CanonicalMessage['content']): CanonicalMessage[] => [
        ...hello,
        { role: 'assistant', content: assistant },
        { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'c1', content: [{ type: 'text', text: 'ok' }] }] },
      ];
      const call = { type: 'tool_call' as const, id: 'c1', name: 'f', arguments: '{}' };
      expect(toAnthropicRequest(request({ messages: messages([call]), thinking: { enabled: true } }), context).thinking).toBeUndefined();
      expect(
        toAnthropicRequest(request({ messages: messages([{ type: 'thinking', text: 'unsigned' }, call]), thinking: { enabled: true } }), context).thinking,
      ).toBeUndefined();
      expect(
        toAnthropicRequest(
          request({ messages: messages([{ type: 'thinking', text: 'signed', signature: 'sig' }, call]), thinking: { enabled: true } }),
          context,
        ).thinking,
      ).toBeDefined();
      // Text beside the results (merged into their user message) does not end the turn...
      expect(toAnthropicRequest(request({ messages: [...messages([call]), ...hello], thinking: { enabled: true } }), context).thinking).toBeUndefined();
      // ...an assistant answer does: a finished turn needs no thinking from the past.
      const finished: CanonicalMessage[] = [...messages([call]), { role: 'assistant', content: [{ type: 'text', text: 'Done.' }] }, ...hello];
      expect(toAnthropicRequest(request({ messages: finished, thinking: { enabled: true } }), context).thinking).toBeDefined();
    });
  });
});
