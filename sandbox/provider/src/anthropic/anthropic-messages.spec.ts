// Drives the Anthropic Messages format over real HTTP with raw fetch, checking the wire exactly as Anthropic's
// documentation and SDK types describe it (the SDK is not installed here; the shapes are asserted by hand).
import { splitTokens } from '../shared/deterministic-text';
import { parseSse, startSandbox, TEST_API_KEY, type SandboxHarness } from '../testing/sandbox-harness';
import { REDACTED_THINKING_TRIGGER } from './anthropic-messages.plan';

let harness: SandboxHarness;
beforeAll(async () => (harness = await startSandbox()));
afterAll(() => harness.close());
beforeEach(() => harness.reset());

const HEADERS = { 'x-api-key': TEST_API_KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function post(body: unknown, headers: Record<string, string> = HEADERS, path = '/v1/messages'): Promise<Response> {
  return fetch(`${harness.origin}${path}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function message(body: unknown): Promise<Json> {
  const res = await post(body);
  const json = (await res.json()) as Json;
  if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

const question = {
  model: 'claude-sonnet-4-5',
  max_tokens: 256,
  messages: [{ role: 'user', content: 'What is the capital of France?' }],
};

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a place',
  input_schema: {
    type: 'object',
    properties: {
      location: { type: 'string' },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      days: { type: 'integer' },
      detailed: { type: 'boolean' },
      note: { type: 'string' },
    },
    required: ['location', 'unit', 'days', 'detailed'],
  },
};

const TOOL_OUTPUT = '{"temperature":21,"conditions":"sunny with a light breeze from the west, perfect for a walk"}';

describe('Anthropic Messages: plain replies', () => {
  it('answers in the Message shape, with usage counted by the documented formula', async () => {
    const res = await post(question);
    expect(res.status).toBe(200);
    expect(res.headers.get('request-id')).toMatch(/^req_011C[A-Za-z0-9]{20}$/);
    expect(res.headers.get('x-sandbox-provider')).toBe('anthropic');
    const body = (await res.json()) as Json;

    expect(Object.keys(body)).toEqual(['id', 'type', 'role', 'model', 'content', 'stop_reason', 'stop_sequence', 'usage']);
    expect(body).toMatchObject({ type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', stop_reason: 'end_turn', stop_sequence: null });
    expect(body.id).toMatch(/^msg_01[A-Za-z0-9]{22}$/);
    expect(body.content).toEqual([{ type: 'text', text: expect.stringMatching(/^Sandbox reply to "What is the capital of France\?": \w+/) }]);
    // 3 priming + 3 framing + 6 text tokens ("What", " is", " the", " capital", " of", " France?").
    expect(body.usage).toEqual({
      input_tokens: 12,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: splitTokens(body.content[0].text).length,
    });
  });

  it('is deterministic in content, unique in ids, and counts the system prompt', async () => {
    const first = await message(question);
    const second = await message(question);
    const withSystem = await message({ ...question, system: [{ type: 'text', text: 'Be brief.' }] });
    expect(second.content).toEqual(first.content);
    expect(second.id).not.toBe(first.id);
    expect(withSystem.usage.input_tokens).toBe(first.usage.input_tokens + 2);
    expect(withSystem.content).not.toEqual(first.content);
  });

  it('stops at max_tokens and at stop sequences, naming the sequence', async () => {
    const short = await message({ ...question, max_tokens: 3 });
    expect(short).toMatchObject({ stop_reason: 'max_tokens', stop_sequence: null, content: [{ text: 'Sandbox reply to' }] });
    expect(short.usage.output_tokens).toBe(3);

    const stopped = await message({ ...question, stop_sequences: ['zzz', ' to "'] });
    expect(stopped).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: ' to "', content: [{ text: 'Sandbox reply' }] });
  });

  it('merges consecutive turns of one role, as the API does, instead of refusing them', async () => {
    const body = await message({
      ...question,
      messages: [
        { role: 'user', content: 'First part.' },
        { role: 'user', content: [{ type: 'text', text: 'Second part.' }] },
      ],
    });
    expect(body.content[0].text).toMatch(/^Sandbox reply to "First part\. Second part\.":/);
  });
});

describe('Anthropic Messages: streaming', () => {
  it('sends the exact documented event sequence, each as `event: <type>` + matching data', async () => {
    const plain = await message(question);
    const res = await post({ ...question, stream: true });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const raw = await res.text();
    expect(raw.startsWith('event: message_start\ndata: {"type":"message_start"')).toBe(true);
    const events = parseSse(raw);
    const names = events.map((e) => e.event);
    const deltas = plain.usage.output_tokens;

    expect(names).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      ...Array(deltas).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const data = events.map((e) => JSON.parse(e.data) as Json);
    data.forEach((d, i) => expect(d.type).toBe(names[i]));

    expect(data[0].message).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: plain.usage.input_tokens, output_tokens: 1 },
    });
    expect(data[0].message.id).toMatch(/^msg_01/);
    expect(data[1]).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    const text = data
      .filter((d) => d.type === 'content_block_delta')
      .map((d) => {
        expect(d.delta.type).toBe('text_delta');
        return d.delta.text as string;
      });
    expect(text.join('')).toBe(plain.content[0].text);
    expect(data[data.length - 2]).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: plain.usage.output_tokens },
    });
    expect(data[data.length - 1]).toEqual({ type: 'message_stop' });
  });
});

describe('Anthropic Messages: errors in Anthropic shape', () => {
  it.each([
    ['no x-api-key', { 'anthropic-version': '2023-06-01' }, 401, 'authentication_error', 'x-api-key header is required'],
    ['a wrong x-api-key', { 'x-api-key': 'sk-ant-wrong', 'anthropic-version': '2023-06-01' }, 401, 'authentication_error', 'invalid x-api-key'],
    ['no anthropic-version', { 'x-api-key': TEST_API_KEY }, 400, 'invalid_request_error', 'anthropic-version: header is required'],
    [
      'an unknown anthropic-version',
      { 'x-api-key': TEST_API_KEY, 'anthropic-version': '2099-01-01' },
      400,
      'invalid_request_error',
      'anthropic-version: "2099-01-01" is not a valid version',
    ],
  ])('refuses %s', async (_case, headers, status, type, message) => {
    const res = await post(question, headers as Record<string, string>);
    expect(res.status).toBe(status);
    const body = (await res.json()) as Json;
    expect(body).toEqual({ type: 'error', error: { type, message }, request_id: res.headers.get('request-id') });
    expect(JSON.stringify(body)).not.toContain('sk-ant-wrong');
  });

  it.each([
    ['a missing max_tokens', { model: 'm', messages: question.messages }, 'max_tokens: Field required'],
    ['temperature above 1', { ...question, temperature: 1.5 }, 'temperature: Input should be less than or equal to 1'],
    ['an OpenAI-only parameter', { ...question, n: 2 }, 'n: Extra inputs are not permitted'],
    [
      'both temperature and top_p',
      { ...question, temperature: 0.5, top_p: 0.9 },
      'temperature and top_p cannot both be specified for this model. Please use only one.',
    ],
    [
      'a first message from the assistant',
      { ...question, messages: [{ role: 'assistant', content: 'Hi' }] },
      'messages: first message must use the "user" role',
    ],
    [
      'an unknown block type',
      { ...question, messages: [{ role: 'user', content: [{ type: 'video', url: 'x' }] }] },
      "messages.0.content.0: Input tag 'video' found using 'type' does not match any of the expected tags",
    ],
    [
      'a bad image media type',
      { ...question, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: 'AAAA' } }] }] },
      "messages.0.content.0.source.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'",
    ],
    [
      'image data that is not base64',
      { ...question, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'not base64!' } }] }] },
      'messages.0.content.0.image.source.base64.data: The image data is not valid base64',
    ],
    [
      'a thinking budget below 1024',
      { ...question, max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 500 } },
      'thinking.budget_tokens: Input should be greater than or equal to 1024',
    ],
    [
      'a thinking budget not below max_tokens',
      { ...question, max_tokens: 1024, thinking: { type: 'enabled', budget_tokens: 1024 } },
      '`max_tokens` must be greater than `thinking.budget_tokens`',
    ],
    [
      'thinking with a temperature',
      { ...question, max_tokens: 2048, temperature: 0.5, thinking: { type: 'enabled', budget_tokens: 1024 } },
      '`temperature` may only be set to 1 when thinking is enabled',
    ],
    ['a system prompt that is a number', { ...question, system: 5 }, 'system: Input should be a valid string'],
    ['malformed JSON', '{"model":', 'The request body is not valid JSON.'],
  ])('400s %s', async (_case, body, message) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as Json;
    expect(json.type).toBe('error');
    expect(json.error.type).toBe('invalid_request_error');
    expect(json.error.message).toContain(message);
  });

  it('404s unknown paths under /v1/messages with not_found_error', async () => {
    const res = await post(question, HEADERS, '/v1/messages/batches-nope');
    expect(res.status).toBe(404);
    expect(((await res.json()) as Json).error).toEqual({ type: 'not_found_error', message: 'Not Found' });
  });
});

describe('Anthropic Messages: tools', () => {
  const toolRequest = { ...question, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [weatherTool] };

  it('calls the first tool with arguments built from its schema, then quotes the tool result', async () => {
    const call = await message(toolRequest);
    expect(call.stop_reason).toBe('tool_use');
    expect(call.content).toHaveLength(1);
    const use = call.content[0];
    expect(use).toEqual({ type: 'tool_use', id: expect.stringMatching(/^toolu_01[A-Za-z0-9]{22}$/), name: 'get_weather', input: expect.any(Object) });
    expect(use.input).toEqual({ location: expect.stringMatching(/^[a-z]+$/), unit: 'celsius', days: 1, detailed: true });
    expect(call.usage.output_tokens).toBe(splitTokens(JSON.stringify(use.input)).length);
    expect((await message(toolRequest)).content).toEqual(call.content); // deterministic, id included

    const followUp = await message({
      ...toolRequest,
      messages: [
        ...toolRequest.messages,
        { role: 'assistant', content: call.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: [{ type: 'text', text: TOOL_OUTPUT }] }] },
      ],
    });
    expect(followUp.stop_reason).toBe('end_turn');
    expect(followUp.content).toEqual([{ type: 'text', text: `Tool get_weather returned: ${TOOL_OUTPUT.slice(0, 60)}` }]);
  });

  it('answers in text when tool_choice is none, and calls the named tool when forced', async () => {
    const none = await message({ ...toolRequest, tool_choice: { type: 'none' } });
    expect(none.content[0].type).toBe('text');
    const otherTool = { name: 'get_time', input_schema: { type: 'object', properties: {} } };
    const forced = await message({ ...toolRequest, tools: [weatherTool, otherTool], tool_choice: { type: 'tool', name: 'get_time' } });
    expect(forced.content[0]).toMatchObject({ type: 'tool_use', name: 'get_time', input: {} });
  });

  it('streams a tool_use block as input_json_delta fragments starting with an empty one', async () => {
    const plain = await message(toolRequest);
    const data = parseSse(await (await post({ ...toolRequest, stream: true })).text()).map((e) => JSON.parse(e.data) as Json);
    const start = data.find((d) => d.type === 'content_block_start');
    expect(start.content_block).toEqual({ type: 'tool_use', id: plain.content[0].id, name: 'get_weather', input: {} });
    const fragments = data.filter((d) => d.type === 'content_block_delta').map((d) => d.delta);
    expect(fragments[0]).toEqual({ type: 'input_json_delta', partial_json: '' });
    expect(JSON.parse(fragments.map((f: Json) => f.partial_json).join(''))).toEqual(plain.content[0].input);
    expect(data.find((d) => d.type === 'message_delta').delta).toEqual({ stop_reason: 'tool_use', stop_sequence: null });
  });

  it('refuses a tool_result for an unknown id, and a tool_use left unanswered', async () => {
    const call = await message(toolRequest);
    const unknown = await post({
      ...toolRequest,
      messages: [
        ...toolRequest.messages,
        { role: 'assistant', content: call.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01forged', content: 'x' }] },
      ],
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as Json).error.message).toContain('unexpected `tool_use_id` found in `tool_result` blocks: toolu_01forged');

    const unanswered = await post({
      ...toolRequest,
      messages: [...toolRequest.messages, { role: 'assistant', content: call.content }, { role: 'user', content: 'Never mind.' }],
    });
    expect(unanswered.status).toBe(400);
    expect(((await unanswered.json()) as Json).error.message).toContain(
      `messages.1: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${call.content[0].id}`,
    );
  });
});

describe('Anthropic Messages: thinking', () => {
  const thinking = { ...question, max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1024 } };

  it('returns a signed thinking block first, counted in output_tokens', async () => {
    const body = await message(thinking);
    expect(body.content.map((b: Json) => b.type)).toEqual(['thinking', 'text']);
    expect(body.content[0]).toEqual({
      type: 'thinking',
      thinking: expect.stringMatching(/^Sandbox thinking about "What is the capital of France\?": /),
      signature: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
    });
    expect(body.usage.output_tokens).toBe(splitTokens(body.content[0].thinking).length + splitTokens(body.content[1].text).length);
    expect((await message(thinking)).content[0]).toEqual(body.content[0]);
  });

  it('streams thinking_delta pieces then one signature_delta, then the text block at index 1', async () => {
    const plain = await message(thinking);
    const data = parseSse(await (await post({ ...thinking, stream: true })).text()).map((e) => JSON.parse(e.data) as Json);
    const sequence = data.map((d) => (d.type === 'content_block_delta' ? `${d.index}:${d.delta.type}` : d.type));
    const thinkingDeltas = splitTokens(plain.content[0].thinking).length;
    const textDeltas = splitTokens(plain.content[1].text).length;
    expect(sequence).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      ...Array(thinkingDeltas).fill('0:thinking_delta'),
      '0:signature_delta',
      'content_block_stop',
      'content_block_start',
      ...Array(textDeltas).fill('1:text_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(data[1].content_block).toEqual({ type: 'thinking', thinking: '', signature: '' });
    const signature = data.find((d) => d.delta?.type === 'signature_delta').delta.signature;
    expect(signature).toBe(plain.content[0].signature);
    const streamed = data
      .filter((d) => d.delta?.type === 'thinking_delta')
      .map((d) => d.delta.thinking)
      .join('');
    expect(streamed).toBe(plain.content[0].thinking);
  });

  it('accepts its thinking block sent back untouched, and refuses a tampered text or signature', async () => {
    const first = await message(thinking);
    const followUp = (content: Json[]) =>
      post({ ...thinking, messages: [...thinking.messages, { role: 'assistant', content }, { role: 'user', content: 'And Spain?' }] });

    expect((await followUp(first.content)).status).toBe(200);

    for (const tampered of [
      { ...first.content[0], thinking: `${first.content[0].thinking} ` },
      { ...first.content[0], signature: first.content[0].signature.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A')) },
    ]) {
      const res = await followUp([tampered, first.content[1]]);
      expect(res.status).toBe(400);
      expect(((await res.json()) as Json).error).toEqual({
        type: 'invalid_request_error',
        message: 'messages.1.content.0: Invalid `signature` in `thinking` block',
      });
    }
  });

  it('requires the thinking block before tool_use when continuing a tool loop with thinking on', async () => {
    const request = { ...thinking, tools: [weatherTool], messages: [{ role: 'user', content: 'Weather in Paris?' }] };
    const call = await message(request);
    expect(call.content.map((b: Json) => b.type)).toEqual(['thinking', 'tool_use']);
    const result = { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.content[1].id, content: TOOL_OUTPUT }] };

    const withThinking = await message({ ...request, messages: [...request.messages, { role: 'assistant', content: call.content }, result] });
    expect(withThinking.content[1].text).toBe(`Tool get_weather returned: ${TOOL_OUTPUT.slice(0, 60)}`);

    const stripped = await post({ ...request, messages: [...request.messages, { role: 'assistant', content: [call.content[1]] }, result] });
    expect(stripped.status).toBe(400);
    expect(((await stripped.json()) as Json).error.message).toMatch(
      /^messages\.1\.content\.0\.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`\./,
    );
  });

  it("returns redacted_thinking for Anthropic's trigger string, and checks its data when sent back", async () => {
    const request = { ...thinking, messages: [{ role: 'user', content: `Test ${REDACTED_THINKING_TRIGGER}` }] };
    const body = await message(request);
    expect(body.content[0]).toEqual({ type: 'redacted_thinking', data: expect.any(String) });
    const back = (block: Json) =>
      post({ ...request, messages: [...request.messages, { role: 'assistant', content: [block, body.content[1]] }, { role: 'user', content: 'ok' }] });
    expect((await back(body.content[0])).status).toBe(200);
    const forged = await back({ type: 'redacted_thinking', data: Buffer.alloc(64, 7).toString('base64') });
    expect(forged.status).toBe(400);
  });
});

describe('Anthropic Messages: images and token counting', () => {
  const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
  const withImages = {
    ...question,
    messages: [
      {
        role: 'user',
        content: [
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
          { type: 'text', text: 'Describe these' },
        ],
      },
    ],
  };

  it('names the images it received and bills 85 tokens for each', async () => {
    const body = await message(withImages);
    expect(body.content[0].text).toMatch(/^Sandbox reply to "Describe these": I see 2 images \(image\/png, image\/jpeg\)\. \w+/);
    // 3 priming + 3 framing + 2 images × 85 + "Describe", " these".
    expect(body.usage.input_tokens).toBe(3 + 3 + 170 + 2);
  });

  it('counts tokens at /v1/messages/count_tokens exactly as the reply bills them', async () => {
    const { max_tokens: _unused, ...conversation } = withImages;
    const res = await post(conversation, HEADERS, '/v1/messages/count_tokens');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ input_tokens: (await message(withImages)).usage.input_tokens });
  });
});
