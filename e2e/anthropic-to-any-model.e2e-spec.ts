import Anthropic from '@anthropic-ai/sdk';
import { createTestAccount, startTestPlatform, TestPlatform } from '@apitopmix/testing';

jest.setTimeout(60_000);

let platform: TestPlatform;
let client: Anthropic;
let apiKey: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  ({ apiKey } = await createTestAccount(platform.prisma, { tier: 'ENTERPRISE', rpmLimit: 100_000, tpmLimit: 100_000_000 }));
  // As the spec says: the Anthropic SDK with base_url set to the gateway, without /v1.
  client = new Anthropic({ apiKey, baseURL: platform.baseUrl, maxRetries: 0 });
}, 120_000);

afterAll(async () => {
  await platform?.shutdown();
});

const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

const models = [
  ['claude-sonnet-4-6', 'anthropic'],
  ['gpt-4.1', 'openai'],
  ['gemini-3-flash-preview', 'gemini'],
] as const;

describe.each(models)('Anthropic SDK → %s (%s upstream)', (model) => {
  it('answers in the Messages shape', async () => {
    const message = await client.messages.create({
      model,
      max_tokens: 500,
      system: 'You are a helpful assistant.',
      messages: [{ role: 'user', content: 'Explain quantum computing.' }],
    });
    expect(message.id).toMatch(/^msg_/);
    expect(message.type).toBe('message');
    expect(message.role).toBe('assistant');
    expect(message.model).toBe(model);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.content[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/Explain quantum computing/) });
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
  });

  it('streams with the SDK’s text stream', async () => {
    const stream = client.messages.stream({ model, max_tokens: 500, messages: [{ role: 'user', content: 'Write a poem about AI.' }] });
    const pieces: string[] = [];
    stream.on('text', (text) => pieces.push(text));
    const final = await stream.finalMessage();
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.join('')).toMatch(/Write a poem about AI/);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });

  it('takes an image in the input', async () => {
    const message = await client.messages.create({
      model,
      max_tokens: 200,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: pixel } },
            { type: 'text', text: 'What is in this picture?' },
          ],
        },
      ],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/I see 1 image \(image\/png\)/) });
  });

  it('round-trips a tool use', async () => {
    const tools: Anthropic.Tool[] = [
      { name: 'get_weather', description: 'Weather in a city', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
    ];
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
    const first = await client.messages.create({ model, max_tokens: 500, messages, tools });
    expect(first.stop_reason).toBe('tool_use');
    const use = first.content.find((block) => block.type === 'tool_use');
    expect(use).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: expect.any(String) } });
    if (use?.type !== 'tool_use') return;
    messages.push(
      { role: 'assistant', content: first.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'Sunny, 21 °C' }] },
    );
    const second = await client.messages.create({ model, max_tokens: 500, messages, tools });
    expect(second.content[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/Tool get_weather returned: .*Sunny, 21 °C/) });
  });
});

describe('errors in Anthropic’s shape', () => {
  const post = (headers: Record<string, string>, body: unknown) =>
    fetch(`${platform.baseUrl}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('401 for a wrong key, 400 naming a missing max_tokens, 400 without anthropic-version', async () => {
    const wrong = await post(
      { 'x-api-key': 'sk-wrong', 'anthropic-version': '2023-06-01' },
      { model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] },
    );
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ type: 'error', error: { type: 'authentication_error', message: expect.any(String) } });
    const noMax = await post(
      { 'x-api-key': apiKey, 'anthropic-version': '2023-06-01' },
      { model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'x' }] },
    );
    expect(noMax.status).toBe(400);
    expect(await noMax.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('max_tokens') } });
    const noVersion = await post({ 'x-api-key': apiKey }, { model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    expect(noVersion.status).toBe(400);
    expect(((await noVersion.json()) as { error: { message: string } }).error.message).toMatch(/anthropic-version/);
  });
});

describe('thinking through the hub', () => {
  it('a -thinking variant thinks, and its signed thinking survives a tool round trip', async () => {
    const tools: Anthropic.Tool[] = [
      { name: 'get_weather', description: 'Weather in a city', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
    ];
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
    const first = await client.messages.create({ model: 'claude-sonnet-4-6-thinking', max_tokens: 500, messages, tools });
    const thinking = first.content.find((block) => block.type === 'thinking');
    expect(thinking).toMatchObject({ type: 'thinking', thinking: expect.any(String), signature: expect.stringMatching(/.+/) });
    const use = first.content.find((block) => block.type === 'tool_use');
    if (use?.type !== 'tool_use') throw new Error('expected a tool_use block');
    // The sandbox, like Anthropic, rejects a thinking block whose signature it did not issue for that text.
    messages.push(
      { role: 'assistant', content: first.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'Sunny, 21 °C' }] },
    );
    const second = await client.messages.create({ model: 'claude-sonnet-4-6-thinking', max_tokens: 500, messages, tools });
    expect(second.content.find((block) => block.type === 'text')).toMatchObject({ text: expect.stringMatching(/Tool get_weather returned/) });
  });
});
