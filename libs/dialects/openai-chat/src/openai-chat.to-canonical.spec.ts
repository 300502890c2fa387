import { GatewayError } from '@apitopmix/platform/errors';
import { parseOpenAiChatRequest } from './openai-chat.request';
import { openAiChatToCanonical } from './openai-chat.to-canonical';

/** As the edge does it: validate, then translate. */
const translate = (body: Record<string, unknown>) => openAiChatToCanonical(parseOpenAiChatRequest({ model: 'claude-sonnet-4', ...body }));
const user = (content: unknown) => ({ messages: [{ role: 'user', content }] });

function errorOf(body: Record<string, unknown>): GatewayError {
  try {
    translate(body);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

const pngData = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    strict: true,
  },
};

describe('openAiChatToCanonical', () => {
  it('maps every Chat Completions field of a full request', () => {
    const canonical = translate({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this image, and the weather?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${pngData}`, detail: 'high' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'Sunny' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'Rain' }] },
        { role: 'assistant', content: 'Un chat. Soleil à Paris, pluie à Lyon.' },
        { role: 'user', content: 'Merci', name: 'alice' },
      ],
      max_tokens: 500,
      temperature: 0.7,
      top_p: 0.9,
      n: 2,
      stream: true,
      stream_options: { include_usage: true },
      stop: ['END', '###'],
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      seed: 42,
      user: 'user-123',
      tools: [weatherTool, { type: 'function', function: { name: 'now' } }],
      tool_choice: 'required',
      parallel_tool_calls: false,
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } },
      reasoning_effort: 'medium',
      logprobs: true,
      top_logprobs: 3,
      logit_bias: { '50256': -100 },
      service_tier: 'flex',
      store: false,
      metadata: { team: 'a' },
      prediction: { type: 'content', content: 'x' },
      modalities: ['text'],
      web_search_options: {},
    });

    expect(canonical).toEqual({
      model: 'claude-sonnet-4',
      system: [
        { type: 'text', text: 'Be brief.' },
        { type: 'text', text: 'Answer in French.' },
      ],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this image, and the weather?' },
            { type: 'image', mediaType: 'image/png', data: pngData },
            { type: 'image', url: 'https://example.com/cat.jpg' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
            { type: 'tool_call', id: 'call_2', name: 'get_weather', arguments: '{"city":"Lyon"}' },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool_result', toolCallId: 'call_1', name: 'get_weather', content: [{ type: 'text', text: 'Sunny' }] },
            { type: 'tool_result', toolCallId: 'call_2', name: 'get_weather', content: [{ type: 'text', text: 'Rain' }] },
          ],
        },
        { role: 'assistant', content: [{ type: 'text', text: 'Un chat. Soleil à Paris, pluie à Lyon.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Merci' }] },
      ],
      maxOutputTokens: 500,
      temperature: 0.7,
      topP: 0.9,
      n: 2,
      stream: true,
      stop: ['END', '###'],
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      seed: 42,
      user: 'user-123',
      tools: [
        {
          name: 'get_weather',
          description: 'Weather for a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
        { name: 'now', parameters: { type: 'object', properties: {} } },
      ],
      toolChoice: { type: 'required' },
      parallelToolCalls: false,
      responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true },
      thinking: { enabled: true, budgetTokens: 4_096, includeThoughts: true },
      extensions: {
        openai: {
          logprobs: true,
          top_logprobs: 3,
          logit_bias: { '50256': -100 },
          service_tier: 'flex',
          store: false,
          metadata: { team: 'a' },
          prediction: { type: 'content', content: 'x' },
          modalities: ['text'],
          web_search_options: {},
        },
      },
    });
  });

  it('sets only what the request sets: a minimal request has no optional fields and no extensions', () => {
    expect(translate(user('Hello!'))).toEqual({
      model: 'claude-sonnet-4',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello!' }] }],
      stream: false,
    });
  });

  it('treats nulls as absent', () => {
    const canonical = translate({
      ...user('x'),
      temperature: null,
      top_p: null,
      max_tokens: null,
      n: null,
      seed: null,
      stop: null,
      stream: null,
      reasoning_effort: null,
    });
    expect(canonical).toEqual({ model: 'claude-sonnet-4', messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }], stream: false });
  });

  it('prefers max_completion_tokens to max_tokens', () => {
    expect(translate({ ...user('x'), max_tokens: 100, max_completion_tokens: 200 }).maxOutputTokens).toBe(200);
    expect(translate({ ...user('x'), max_completion_tokens: 300 }).maxOutputTokens).toBe(300);
  });

  it('makes a stop string a one-item list', () => {
    expect(translate({ ...user('x'), stop: 'END' }).stop).toEqual(['END']);
  });

  it('folds system and developer messages from anywhere in the conversation into system, in order, skipping empty ones', () => {
    const canonical = translate({
      messages: [
        { role: 'developer', content: 'first' },
        { role: 'user', content: 'hi' },
        { role: 'system', content: '' },
        { role: 'assistant', content: 'hello' },
        { role: 'system', content: [{ type: 'text', text: 'second' }] },
        { role: 'user', content: 'bye' },
      ],
    });
    expect(canonical.system).toEqual([
      { type: 'text', text: 'first' },
      { type: 'text', text: 'second' },
    ]);
    expect(canonical.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  });

  it('reads assistant thinking from thinking_blocks (signatures, redacted) and tool-call thought signatures', () => {
    const canonical = translate({
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: 'Let me check.',
          reasoning_content: 'ignored when thinking_blocks is present',
          thinking_blocks: [
            { type: 'thinking', thinking: 'The user wants weather.', signature: 'sig-anthropic' },
            { type: 'redacted_thinking', data: 'opaque==' },
          ],
          tool_calls: [
            {
              id: 'call_9',
              type: 'function',
              function: { name: 'get_weather', arguments: '{}' },
              extra_content: { google: { thought_signature: 'sig-gemini' } },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_9', content: 'Sunny' },
      ],
    });
    expect(canonical.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', text: 'The user wants weather.', signature: 'sig-anthropic' },
        { type: 'thinking', text: '', redacted: 'opaque==' },
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_call', id: 'call_9', name: 'get_weather', arguments: '{}', signature: 'sig-gemini' },
      ],
    });
  });

  it('reads DeepSeek-style reasoning_content as one unsigned thinking part, and assistant refusals as text', () => {
    const canonical = translate({
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          reasoning_content: 'Thinking...',
          content: [
            { type: 'text', text: 'A' },
            { type: 'refusal', refusal: 'B' },
          ],
        },
        { role: 'assistant', content: '', refusal: 'I cannot help with that.' },
      ],
    });
    expect(canonical.messages[1].content).toEqual([
      { type: 'thinking', text: 'Thinking...' },
      { type: 'text', text: 'A' },
      { type: 'text', text: 'B' },
    ]);
    expect(canonical.messages[2].content).toEqual([{ type: 'text', text: 'I cannot help with that.' }]);
  });

  it('leaves the tool name out when no earlier assistant call has that id', () => {
    const canonical = translate({ messages: [{ role: 'tool', tool_call_id: 'call_unknown', content: 'x' }] });
    expect(canonical.messages).toEqual([
      { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'call_unknown', content: [{ type: 'text', text: 'x' }] }] },
    ]);
  });

  it.each([
    ['none', { type: 'none' }],
    ['auto', { type: 'auto' }],
    ['required', { type: 'required' }],
    [
      { type: 'function', function: { name: 'get_weather' } },
      { type: 'tool', name: 'get_weather' },
    ],
  ])('maps tool_choice %j', (toolChoice, expected) => {
    expect(translate({ ...user('x'), tools: [weatherTool], tool_choice: toolChoice }).toolChoice).toEqual(expected);
  });

  it('carries out allowed_tools by cutting the tool list and using its mode', () => {
    const canonical = translate({
      ...user('x'),
      tools: [weatherTool, { type: 'function', function: { name: 'now' } }],
      tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'now' } }] } },
    });
    expect(canonical.tools).toEqual([{ name: 'now', parameters: { type: 'object', properties: {} } }]);
    expect(canonical.toolChoice).toEqual({ type: 'required' });
  });

  it.each([
    [{ type: 'text' }, { type: 'text' }],
    [{ type: 'json_object' }, { type: 'json_object' }],
    [
      { type: 'json_schema', json_schema: { name: 'a', schema: { type: 'object' } } },
      { type: 'json_schema', name: 'a', schema: { type: 'object' } },
    ],
    [{ type: 'json_schema', json_schema: { name: 'a' } }, { type: 'json_object' }],
  ])('maps response_format %j', (format, expected) => {
    expect(translate({ ...user('x'), response_format: format }).responseFormat).toEqual(expected);
  });

  it.each([
    ['none', { enabled: false }],
    ['minimal', { enabled: true, budgetTokens: 1_024, includeThoughts: true }],
    ['low', { enabled: true, budgetTokens: 1_024, includeThoughts: true }],
    ['medium', { enabled: true, budgetTokens: 4_096, includeThoughts: true }],
    ['high', { enabled: true, budgetTokens: 16_384, includeThoughts: true }],
    ['xhigh', { enabled: true, budgetTokens: 32_768, includeThoughts: true }],
  ])('maps reasoning_effort %s to a thinking budget', (effort, thinking) => {
    expect(translate({ ...user('x'), reasoning_effort: effort }).thinking).toEqual(thinking);
  });

  it.each([
    [{ ...user([{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }]) }, 'messages[0].content[0].type', /'input_audio' are not supported/],
    [{ ...user([{ type: 'file', file: { file_id: 'file-1' } }]) }, 'messages[0].content[0].type', /'file' are not supported/],
    [{ ...user([{ type: 'video', video: {} }]) }, 'messages[0].content[0].type', /must be one of/],
    [{ ...user([{ type: 'text' }]) }, 'messages[0].content[0].text', /expected string/],
    [{ ...user([{ type: 'image_url' }]) }, 'messages[0].content[0].image_url', /Missing required parameter/],
    [{ ...user([{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }]) }, 'messages[0].content[0].image_url.url', /http\(s\) URL/],
    [{ ...user([{ type: 'image_url', image_url: { url: 'data:image/png,abc' } }]) }, 'messages[0].content[0].image_url.url', /base64/],
    [
      { messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://x' } }] }] },
      'messages[0].content[0].type',
      /must be one of 'text'/,
    ],
    [{ messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id', /Missing required parameter/],
    [{ messages: [{ role: 'function', name: 'f', content: 'x' }] }, 'messages[0].role', /legacy function calling/],
    [{ messages: [{ role: 'assistant', content: 'x', thinking_blocks: [{ type: 'other' }] }] }, 'messages[0].thinking_blocks[0].type', /must be one of/],
    [{ messages: [{ role: 'assistant', content: 'x', reasoning_content: 5 }] }, 'messages[0].reasoning_content', /expected string/],
    [
      { messages: [{ role: 'assistant', tool_calls: [{ id: 'c', type: 'custom', function: { name: 'n', arguments: '' } }] }] },
      'messages[0].tool_calls[0].type',
      /custom tools/,
    ],
    [{ ...user('x'), functions: [{ name: 'f' }] }, 'functions', /use 'tools'/],
    [{ ...user('x'), function_call: 'auto' }, 'function_call', /use 'tools'/],
    [{ ...user('x'), tools: [{ type: 'custom', custom: { name: 'c' } }] }, 'tools[0].type', /custom tools/],
    [{ ...user('x'), tools: [{ type: 'function', function: { name: 'f', parameters: 'x' } }] }, 'tools[0].function.parameters', /expected object/],
    [{ ...user('x'), tool_choice: { type: 'function', function: {} } }, 'tool_choice.function.name', /Missing required parameter/],
    [{ ...user('x'), tool_choice: { type: 'custom', custom: { name: 'c' } } }, 'tool_choice.type', /custom tools/],
    [{ ...user('x'), response_format: { type: 'json_schema' } }, 'response_format.json_schema', /Missing required parameter/],
    [{ ...user('x'), response_format: { type: 'json_schema', json_schema: { schema: {} } } }, 'response_format.json_schema.name', /Missing/],
    [{ ...user('x'), reasoning_effort: 'extreme' }, 'reasoning_effort', /must be one of 'none'/],
    [{ ...user('x'), reasoning_effort: 'toString' }, 'reasoning_effort', /must be one of/],
  ])('rejects %j naming %s', (body, param, message) => {
    const error = errorOf(body);
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message).toMatch(message);
  });

  it('keeps a data URL without a media type as bytes without one', () => {
    expect(translate(user([{ type: 'image_url', image_url: { url: `data:;base64,${pngData}` } }])).messages[0].content).toEqual([
      { type: 'image', data: pngData },
    ]);
  });
});
