import OpenAI from 'openai';
import { createTestAccount, ledgerRows, SandboxControl, startTestPlatform, TestPlatform, waitFor } from '@apitopmix/testing';

jest.setTimeout(60_000);

let platform: TestPlatform;
let client: OpenAI;
let accountId: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  const account = await createTestAccount(platform.prisma, { tier: 'ENTERPRISE', rpmLimit: 100_000, tpmLimit: 100_000_000 });
  accountId = account.accountId;
  client = new OpenAI({ apiKey: account.apiKey, baseURL: `${platform.baseUrl}/v1`, maxRetries: 0 });
}, 120_000);

afterAll(async () => {
  await platform?.shutdown();
});

// The spec's examples call Claude and Gemini through the OpenAI SDK: each upstream format, through the same code.
const models = [
  ['claude-sonnet-4', 'anthropic'],
  ['gemini-3.1-pro-preview', 'gemini'],
  ['gpt-4.1', 'openai (pass-through)'],
] as const;

const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe.each(models)('OpenAI SDK → %s (%s upstream)', (model) => {
  it('answers a chat completion in OpenAI shape', async () => {
    const response = await client.chat.completions.create({
      model,
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'Explain quantum computing.' },
      ],
      max_tokens: 500,
      temperature: 0.7,
    });
    expect(response.id).toMatch(/^chatcmpl-/);
    expect(response.object).toBe('chat.completion');
    expect(response.model).toBe(model);
    expect(response.choices[0].message.content).toMatch(/Explain quantum computing/);
    expect(response.choices[0].finish_reason).toBe('stop');
    expect(response.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(response.usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('streams chunk by chunk, with usage when asked', async () => {
    const stream = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Write a poem about AI.' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const pieces: string[] = [];
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) pieces.push(chunk.choices[0].delta.content);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.join('')).toMatch(/Write a poem about AI/);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('round-trips a tool call', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather in a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    ];
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
    const first = await client.chat.completions.create({ model, messages, tools });
    const call = first.choices[0].message.tool_calls?.[0];
    expect(first.choices[0].finish_reason).toBe('tool_calls');
    expect(call?.type).toBe('function');
    if (call?.type !== 'function') return;
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: expect.any(String) });
    messages.push(first.choices[0].message, { role: 'tool', tool_call_id: call.id, content: 'Sunny, 21 °C' });
    const second = await client.chat.completions.create({ model, messages, tools });
    // Gemini takes tool results as objects: a plain-text result arrives wrapped as {"output": …} (documented rule).
    expect(second.choices[0].message.content).toMatch(/Tool get_weather returned: .*Sunny, 21 °C/);
  });

  it('takes an image in the input', async () => {
    const response = await client.chat.completions.create({
      model,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${pixel}` } },
          ],
        },
      ],
    });
    expect(response.choices[0].message.content).toMatch(/I see 1 image \(image\/png\)/);
  });
});

it('bills translated calls from the upstream usage, under the public model id', async () => {
  const rows = await waitFor(
    () => ledgerRows(platform.prisma, accountId),
    (r) => r.some((row) => row.model === 'claude-sonnet-4-6'),
    5_000,
  );
  const claude = rows.filter((row) => row.model === 'claude-sonnet-4-6');
  expect(claude.length).toBeGreaterThanOrEqual(4);
  expect(claude.every((row) => row.provider === 'anthropic' && row.amountMicros < 0n)).toBe(true);
  expect(rows.some((row) => row.model === 'gemini-3.1-pro-preview' && row.provider === 'google')).toBe(true);
});

describe('OpenAI parameters as each upstream receives them', () => {
  const sent = {
    messages: [
      { role: 'system' as const, content: 'Answer in JSON.' },
      { role: 'user' as const, content: 'Name a colour.' },
    ],
    temperature: 1.5,
    top_p: 0.9,
    max_tokens: 321,
    stop: ['END'],
    seed: 7,
    user: 'user-42',
    response_format: {
      type: 'json_schema' as const,
      json_schema: { name: 'colour', schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } },
    },
  };
  const lastUpstreamBody = async (path: RegExp) => (await new SandboxControl(platform.sandboxUrl).requests()).filter((r) => path.test(r.path)).pop()?.body;

  it('Claude: temperature clamped to Anthropic’s 1 and top_p left out (Claude takes one), stop as stop_sequences, user as metadata, the schema as output_config', async () => {
    await client.chat.completions.create({ model: 'claude-sonnet-4', ...sent });
    expect(await lastUpstreamBody(/\/v1\/messages$/)).toEqual({
      model: 'claude-sonnet-4-6',
      max_tokens: 321,
      system: [{ type: 'text', text: 'Answer in JSON.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Name a colour.' }] }],
      temperature: 1,
      stop_sequences: ['END'],
      metadata: { user_id: 'user-42' },
      output_config: { format: { type: 'json_schema', schema: sent.response_format.json_schema.schema } },
    });
  });

  it('Gemini: temperature kept (Gemini allows 2), generationConfig with stopSequences, seed, maxOutputTokens and the JSON schema', async () => {
    await client.chat.completions.create({ model: 'gemini-3-flash-preview', ...sent });
    const body = (await lastUpstreamBody(/:generateContent$/)) ?? {};
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'Answer in JSON.' }] });
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'Name a colour.' }] }]);
    expect(body.generationConfig).toMatchObject({
      temperature: 1.5,
      topP: 0.9,
      maxOutputTokens: 321,
      stopSequences: ['END'],
      seed: 7,
      responseMimeType: 'application/json',
      responseJsonSchema: sent.response_format.json_schema.schema,
    });
  });

  it('OpenAI-compatible: every field as the caller sent it', async () => {
    await client.chat.completions.create({ model: 'meta/llama-3.3-70b-instruct', ...sent });
    expect(await lastUpstreamBody(/\/chat\/completions$/)).toEqual({ model: 'meta/llama-3.3-70b-instruct', ...sent });
  });
});
