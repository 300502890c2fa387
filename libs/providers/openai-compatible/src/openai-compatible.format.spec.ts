import type { CanonicalChatRequest, CanonicalMessage } from '@apitopmix/contracts';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { fromOpenAiCompatible, openAiCompatibleFormat, reasoningEffortFor, toOpenAiCompatible } from './openai-compatible.format';
import { OpenAiCompatibleStreamParser } from './openai-compatible.stream-parser';

const base: CanonicalChatRequest = { model: 'gpt-4.1', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello!' }] }], stream: false };
const target = { upstreamModel: 'gpt-4.1-2025-04-14' };
const messagesOf = (messages: CanonicalMessage[], extra: Partial<CanonicalChatRequest> = {}, options: Partial<Parameters<typeof toOpenAiCompatible>[1]> = {}) =>
  toOpenAiCompatible({ ...base, ...extra, messages }, { ...target, ...options }).messages;

const pngData = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('toOpenAiCompatible', () => {
  it('sends the upstream model and only what the request sets', () => {
    expect(toOpenAiCompatible(base, target)).toEqual({ model: 'gpt-4.1-2025-04-14', messages: [{ role: 'user', content: 'Hello!' }] });
  });

  it('maps every canonical field of a full request (an Anthropic-format caller asking gpt-4.1)', () => {
    const body = toOpenAiCompatible(
      {
        ...base,
        system: [
          { type: 'text', text: 'Be brief.' },
          { type: 'text', text: 'Answer in French.' },
        ],
        maxOutputTokens: 1_024,
        temperature: 0.5,
        topP: 0.9,
        topK: 40,
        stop: ['END'],
        seed: 7,
        presencePenalty: 0.1,
        frequencyPenalty: 0.2,
        n: 2,
        tools: [
          { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
          { name: 'now', parameters: {} },
        ],
        toolChoice: { type: 'tool', name: 'get_weather' },
        parallelToolCalls: true,
        responseFormat: { type: 'json_schema', schema: { type: 'object' }, strict: true },
        thinking: { enabled: true, budgetTokens: 4_096 },
        user: 'u-1',
        stream: true,
        extensions: { gemini: { safetySettings: [] } },
      },
      target,
    );

    expect(body).toEqual({
      model: 'gpt-4.1-2025-04-14',
      messages: [
        { role: 'system', content: 'Be brief.\n\nAnswer in French.' },
        { role: 'user', content: 'Hello!' },
      ],
      max_tokens: 1_024,
      temperature: 0.5,
      top_p: 0.9,
      stop: ['END'],
      seed: 7,
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
      n: 2,
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
        },
        { type: 'function', function: { name: 'now', parameters: {} } },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: true,
      response_format: { type: 'json_schema', json_schema: { name: 'response', schema: { type: 'object' }, strict: true } },
      user: 'u-1',
      stream: true,
      stream_options: { include_usage: true },
    });
    // topK has no OpenAI field, thinking is not sent to a non-reasoning model, other vendors' extensions stay out.
    expect(body).not.toHaveProperty('top_k');
    expect(body).not.toHaveProperty('reasoning_effort');
    expect(body).not.toHaveProperty('safetySettings');
  });

  it.each([
    [{ type: 'auto' }, 'auto'],
    [{ type: 'none' }, 'none'],
    [{ type: 'required' }, 'required'],
  ] as const)('maps tool choice %j', (toolChoice, expected) => {
    expect(toOpenAiCompatible({ ...base, tools: [{ name: 't', parameters: {} }], toolChoice }, target).tool_choice).toBe(expected);
  });

  it('sends neither tool_choice nor parallel_tool_calls without tools (OpenAI rejects them), nor an empty tools array', () => {
    const body = toOpenAiCompatible({ ...base, tools: [], toolChoice: { type: 'auto' }, parallelToolCalls: false }, target);
    expect(body).not.toHaveProperty('tools');
    expect(body).not.toHaveProperty('tool_choice');
    expect(body).not.toHaveProperty('parallel_tool_calls');
  });

  it.each([
    [{ type: 'text' }, { type: 'text' }],
    [{ type: 'json_object' }, { type: 'json_object' }],
    [
      { type: 'json_schema', name: 'answer', schema: { type: 'object' } },
      { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' } } },
    ],
  ] as const)('maps response format %j', (responseFormat, expected) => {
    expect(toOpenAiCompatible({ ...base, responseFormat }, target).response_format).toEqual(expected);
  });

  describe('output limit', () => {
    it('sends the request limit, capped by the target limit, which is also the default', () => {
      expect(toOpenAiCompatible({ ...base, maxOutputTokens: 500 }, { ...target, maxOutputTokens: 32_768 }).max_tokens).toBe(500);
      expect(toOpenAiCompatible({ ...base, maxOutputTokens: 100_000 }, { ...target, maxOutputTokens: 32_768 }).max_tokens).toBe(32_768);
      expect(toOpenAiCompatible(base, { ...target, maxOutputTokens: 32_768 }).max_tokens).toBe(32_768);
      expect(toOpenAiCompatible(base, target)).not.toHaveProperty('max_tokens');
    });

    it.each(['o3', 'o4-mini', 'o1-2024-12-17', 'gpt-5', 'gpt-5-mini'])('uses max_completion_tokens for the reasoning model %s', (upstreamModel) => {
      const body = toOpenAiCompatible({ ...base, maxOutputTokens: 500 }, { upstreamModel });
      expect(body.max_completion_tokens).toBe(500);
      expect(body).not.toHaveProperty('max_tokens');
    });

    it.each(['gpt-4.1', 'deepseek-ai/deepseek-r1', 'meta/llama-3.3-70b-instruct', 'openai/gpt-oss-120b'])('uses max_tokens for %s', (upstreamModel) => {
      expect(toOpenAiCompatible({ ...base, maxOutputTokens: 500 }, { upstreamModel }).max_tokens).toBe(500);
    });

    it('lets the target say whether the model is a reasoning model', () => {
      expect(toOpenAiCompatible({ ...base, maxOutputTokens: 5 }, { upstreamModel: 'my-o1-finetune', reasoningModel: false }).max_tokens).toBe(5);
      expect(toOpenAiCompatible({ ...base, maxOutputTokens: 5 }, { upstreamModel: 'custom', reasoningModel: true }).max_completion_tokens).toBe(5);
    });
  });

  describe('thinking', () => {
    it.each([
      [1_024, 'low'],
      [2_048, 'low'],
      [2_049, 'medium'],
      [8_192, 'medium'],
      [8_193, 'high'],
      [32_000, 'high'],
    ] as const)('a budget of %i is reasoning_effort %s for a reasoning model', (budgetTokens, effort) => {
      expect(reasoningEffortFor(budgetTokens)).toBe(effort);
      expect(toOpenAiCompatible({ ...base, thinking: { enabled: true, budgetTokens } }, { upstreamModel: 'o3' }).reasoning_effort).toBe(effort);
    });

    it('sends no reasoning_effort when thinking is off or has no budget', () => {
      expect(toOpenAiCompatible({ ...base, thinking: { enabled: false, budgetTokens: 4_096 } }, { upstreamModel: 'o3' })).not.toHaveProperty(
        'reasoning_effort',
      );
      expect(toOpenAiCompatible({ ...base, thinking: { enabled: true } }, { upstreamModel: 'o3' })).not.toHaveProperty('reasoning_effort');
    });
  });

  describe('extensions.openai', () => {
    it('adds the OpenAI-only fields back', () => {
      const body = toOpenAiCompatible(
        { ...base, extensions: { openai: { logprobs: true, top_logprobs: 2, service_tier: 'flex', metadata: { a: '1' } } } },
        target,
      );
      expect(body).toMatchObject({ logprobs: true, top_logprobs: 2, service_tier: 'flex', metadata: { a: '1' } });
    });

    it('never replaces a field the format writes (the model above all)', () => {
      const body = toOpenAiCompatible(
        { ...base, temperature: 0.2, extensions: { openai: { model: 'gpt-4.5-preview', messages: [], temperature: 2, stream: true, max_tokens: 99_999 } } },
        target,
      );
      expect(body).toEqual({ model: 'gpt-4.1-2025-04-14', messages: [{ role: 'user', content: 'Hello!' }], temperature: 0.2 });
    });
  });

  describe('messages', () => {
    it('sends images as image_url: URLs as they are, inline bytes as data URLs (media type sniffed when absent)', () => {
      expect(
        messagesOf([
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Compare.' },
              { type: 'image', url: 'https://example.com/a.jpg' },
              { type: 'image', mediaType: 'image/webp', data: 'UklGRgAAAA' },
              { type: 'image', data: pngData },
              { type: 'image', data: '/9j/4AAQ' },
            ],
          },
        ]),
      ).toEqual([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare.' },
            { type: 'image_url', image_url: { url: 'https://example.com/a.jpg' } },
            { type: 'image_url', image_url: { url: 'data:image/webp;base64,UklGRgAAAA' } },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${pngData}` } },
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
          ],
        },
      ]);
    });

    it('sends a tool-use turn: assistant tool_calls, then one tool message per result, then the user text', () => {
      expect(
        messagesOf([
          { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Lyon?' }] },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', text: 'Two cities.', signature: 'anthropic-sig' },
              { type: 'thinking', text: '', redacted: 'opaque' },
              { type: 'text', text: 'Checking.' },
              { type: 'tool_call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
              { type: 'tool_call', id: 'toolu_2', name: 'get_weather', arguments: '{"city":"Lyon"}', signature: 'gemini-sig' },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Here you go.' },
              { type: 'tool_result', toolCallId: 'toolu_1', content: [{ type: 'text', text: 'Sunny' }] },
              {
                type: 'tool_result',
                toolCallId: 'toolu_2',
                isError: true,
                content: [
                  { type: 'text', text: 'Radar:' },
                  { type: 'image', mediaType: 'image/png', data: pngData },
                ],
              },
            ],
          },
        ]),
      ).toEqual([
        { role: 'user', content: 'Weather in Paris and Lyon?' },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'toolu_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'Sunny' },
        { role: 'tool', tool_call_id: 'toolu_2', content: 'Radar:\n[image omitted]' },
        { role: 'user', content: 'Here you go.' },
      ]);
    });

    it('sends tool-call signatures only to an upstream that reads them (Google)', () => {
      const messages: CanonicalMessage[] = [
        { role: 'assistant', content: [{ type: 'tool_call', id: 'c1', name: 'f', arguments: '{}', signature: 'gemini-sig' }] },
      ];
      expect(messagesOf(messages, {}, { thoughtSignatures: true })).toEqual([
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' }, extra_content: { google: { thought_signature: 'gemini-sig' } } },
          ],
        },
      ]);
    });

    it('joins assistant texts without a separator, drops its images, and leaves out a turn with nothing left', () => {
      expect(
        messagesOf([
          { role: 'user', content: [{ type: 'text', text: 'hi' }] },
          { role: 'assistant', content: [{ type: 'thinking', text: 'only thoughts' }] },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'Paris is ' },
              { type: 'image', url: 'https://x/y.png' },
              { type: 'text', text: 'sunny.' },
            ],
          },
        ]),
      ).toEqual([
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'Paris is sunny.' },
      ]);
    });

    it('sends canonical tool messages as tool messages only, and an empty user turn as an empty string', () => {
      expect(
        messagesOf([
          { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'c1', name: 'f', content: [] }] },
          { role: 'user', content: [] },
        ]),
      ).toEqual([
        { role: 'tool', tool_call_id: 'c1', content: '' },
        { role: 'user', content: '' },
      ]);
    });

    it('skips empty system parts', () => {
      expect(messagesOf(base.messages, { system: [{ type: 'text', text: '' }] })).toEqual([{ role: 'user', content: 'Hello!' }]);
    });
  });
});

describe('fromOpenAiCompatible', () => {
  it('reads a text answer with usage details', () => {
    expect(
      fromOpenAiCompatible({
        id: 'chatcmpl-up',
        model: 'gpt-4.1-2025-04-14',
        choices: [{ index: 0, message: { content: 'Hello!', refusal: null }, finish_reason: 'stop' }],
        usage: {
          prompt_tokens: 20,
          completion_tokens: 5,
          total_tokens: 25,
          prompt_tokens_details: { cached_tokens: 16 },
          completion_tokens_details: { reasoning_tokens: 0 },
        },
      }),
    ).toEqual({
      id: 'chatcmpl-up',
      model: 'gpt-4.1-2025-04-14',
      choices: [{ index: 0, content: [{ type: 'text', text: 'Hello!' }], stopReason: 'stop' }],
      usage: { inputTokens: 20, outputTokens: 5, cachedInputTokens: 16, reasoningTokens: 0 },
    });
  });

  it('reads tool calls (with a Google thought signature), and DeepSeek reasoning_content as a thinking part first', () => {
    const response = fromOpenAiCompatible({
      id: 'x',
      model: 'deepseek-reasoner',
      choices: [
        {
          index: 0,
          message: {
            content: 'Let me look.',
            reasoning_content: 'Need the weather.',
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
              { id: 'call_2', type: 'function', function: { name: 'now', arguments: '{}' }, extra_content: { google: { thought_signature: 'sig' } } },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 30, prompt_cache_hit_tokens: 8, completion_tokens_details: { reasoning_tokens: 12 } },
    });
    expect(response.choices[0]).toEqual({
      index: 0,
      content: [
        { type: 'thinking', text: 'Need the weather.' },
        { type: 'text', text: 'Let me look.' },
        { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'tool_call', id: 'call_2', name: 'now', arguments: '{}', signature: 'sig' },
      ],
      stopReason: 'tool_calls',
    });
    expect(response.usage).toEqual({ inputTokens: 10, outputTokens: 30, cachedInputTokens: 8, reasoningTokens: 12 });
  });

  it("reads vLLM's reasoning field, a refusal as text, and a tool call without an id", () => {
    const response = fromOpenAiCompatible({
      choices: [
        { message: { content: null, reasoning: 'Hmm.', refusal: "I can't help with that." }, finish_reason: 'stop' },
        { message: { content: null, tool_calls: [{ function: { name: 'f', arguments: '{}' } }] }, finish_reason: 'tool_calls' },
      ],
    });
    expect(response.choices[0]).toEqual({
      index: 0,
      content: [
        { type: 'thinking', text: 'Hmm.' },
        { type: 'text', text: "I can't help with that." },
      ],
      stopReason: 'stop',
    });
    expect(response.choices[1].index).toBe(1);
    expect(response.choices[1].content).toEqual([{ type: 'tool_call', id: expect.stringMatching(/^call_[0-9a-f]{32}$/), name: 'f', arguments: '{}' }]);
    expect(response.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
  });

  it.each([
    ['stop', undefined, { stopReason: 'stop' }],
    ['stop', 'END', { stopReason: 'stop_sequence', stopSequence: 'END' }],
    ['stop', 128_009, { stopReason: 'stop' }],
    ['length', undefined, { stopReason: 'length' }],
    ['tool_calls', undefined, { stopReason: 'tool_calls' }],
    ['function_call', undefined, { stopReason: 'tool_calls' }],
    ['content_filter', undefined, { stopReason: 'content_filter' }],
    ['insufficient_system_resource', undefined, { stopReason: 'error' }],
    ['something_new', undefined, { stopReason: 'stop' }],
    [null, undefined, { stopReason: 'stop' }],
  ])('reads finish_reason %s (stop_reason %s)', (finish_reason, stop_reason, expected) => {
    const choice = fromOpenAiCompatible({ choices: [{ index: 0, message: { content: 'x' }, finish_reason, stop_reason }] }).choices[0];
    expect({ stopReason: choice.stopReason, ...(choice.stopSequence === undefined ? {} : { stopSequence: choice.stopSequence }) }).toEqual(expected);
  });

  it.each([[{}], [null], [{ error: { message: 'x' } }]])('a body without choices (%j) is UpstreamUnavailable', (body) => {
    let error: unknown;
    try {
      fromOpenAiCompatible(body as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: ErrorCode.UpstreamUnavailable });
  });
});

describe('openAiCompatibleFormat', () => {
  it('is the UpstreamFormat of these functions', () => {
    expect(openAiCompatibleFormat.toUpstream(base, target)).toEqual(toOpenAiCompatible(base, target));
    expect(openAiCompatibleFormat.streamParser()).toBeInstanceOf(OpenAiCompatibleStreamParser);
    expect(openAiCompatibleFormat.streamParser()).not.toBe(openAiCompatibleFormat.streamParser());
  });
});
