import { GoogleGenAI, Type } from '@google/genai';
import { OAuth2Client } from 'google-auth-library';
import { Agent, setGlobalDispatcher } from 'undici';
import { createTestAccount, startTestPlatform, TestPlatform } from '@apitopmix/testing';

jest.setTimeout(60_000);

let platform: TestPlatform;
let ai: GoogleGenAI;
let vertex: GoogleGenAI;
let apiKey: string;

beforeAll(async () => {
  // The SDK dispatches through undici's global dispatcher, which Node creates on its own global object, not on
  // jest's sandboxed one: give the sandbox one (outside jest the SDK needs nothing).
  setGlobalDispatcher(new Agent());
  platform = await startTestPlatform();
  ({ apiKey } = await createTestAccount(platform.prisma, { tier: 'ENTERPRISE', rpmLimit: 100_000, tpmLimit: 100_000_000 }));
  ai = new GoogleGenAI({ apiKey, httpOptions: { baseUrl: platform.baseUrl } });
  // The same SDK in Vertex AI mode, as a Vertex user migrates: Vertex's URLs (/v1/projects/…/locations/…/publishers/
  // google/models/…), and the gateway key as the OAuth bearer token instead of Google credentials.
  const bearer = new OAuth2Client();
  bearer.setCredentials({ access_token: apiKey });
  vertex = new GoogleGenAI({
    vertexai: true,
    project: 'my-project',
    location: 'us-central1',
    googleAuthOptions: { authClient: bearer },
    httpOptions: { baseUrl: platform.baseUrl, apiVersion: 'v1' },
  });
}, 120_000);

afterAll(async () => {
  await platform?.shutdown();
});

const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

const models = [
  ['gemini-3-pro-preview', 'gemini'],
  ['claude-sonnet-4-6', 'anthropic'],
  ['gpt-4.1', 'openai'],
] as const;

const clients = [
  ['Gemini API', () => ai],
  ['Vertex AI', () => vertex],
] as const;
const matrix = clients.flatMap(([mode, client]) => models.map(([model, upstream]) => [mode, model, upstream, client] as const));

describe.each(matrix)('Google Gen AI SDK (%s) → %s (%s upstream)', (_mode, model, _upstream, client) => {
  let ai: GoogleGenAI;
  beforeAll(() => {
    ai = client();
  });

  it('answers generateContent', async () => {
    const response = await ai.models.generateContent({
      model,
      contents: 'Hello, Gemini!',
      config: { systemInstruction: 'You are a helpful assistant.', temperature: 0.7, maxOutputTokens: 200 },
    });
    expect(response.text).toMatch(/Hello, Gemini!/);
    expect(response.candidates?.[0].finishReason).toBe('STOP');
    expect(response.usageMetadata?.promptTokenCount).toBeGreaterThan(0);
  });

  it('streams with streamGenerateContent (alt=sse)', async () => {
    const pieces: string[] = [];
    for await (const chunk of await ai.models.generateContentStream({ model, contents: 'Write a poem about AI.' })) if (chunk.text) pieces.push(chunk.text);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toMatch(/Write a poem about AI/);
  });

  it('takes an image in the input', async () => {
    const response = await ai.models.generateContent({
      model,
      contents: [{ role: 'user', parts: [{ inlineData: { mimeType: 'image/png', data: pixel } }, { text: 'What is in this picture?' }] }],
    });
    expect(response.text).toMatch(/I see 1 image \(image\/png\)/);
  });

  it('round-trips a function call', async () => {
    const tools = [
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Weather in a city',
            parameters: { type: Type.OBJECT, properties: { city: { type: Type.STRING } }, required: ['city'] },
          },
        ],
      },
    ];
    const chat = ai.chats.create({ model, config: { tools } });
    const first = await chat.sendMessage({ message: 'What is the weather in Paris?' });
    const call = first.functionCalls?.[0];
    expect(call).toMatchObject({ name: 'get_weather', args: { city: expect.any(String) } });
    const second = await chat.sendMessage({ message: [{ functionResponse: { name: 'get_weather', id: call?.id, response: { output: 'Sunny, 21 °C' } } }] });
    expect(second.text).toMatch(/Tool get_weather returned: .*Sunny, 21 °C/);
  });
});

describe('Vertex-style URLs and Google auth styles', () => {
  const body = { contents: [{ role: 'user', parts: [{ text: 'Hello' }] }] };
  it('accepts any project and location, Bearer, x-goog-api-key and ?key=', async () => {
    const vertex = `${platform.baseUrl}/v1/projects/my-project/locations/us-central1/publishers/google/models/gemini-3-pro-preview:generateContent`;
    for (const [url, headers] of [
      [vertex, { authorization: `Bearer ${apiKey}` }],
      [`${platform.baseUrl}/v1beta/models/gemini-3-pro-preview:generateContent`, { 'x-goog-api-key': apiKey }],
      [`${platform.baseUrl}/v1beta/models/gemini-3-pro-preview:generateContent?key=${apiKey}`, {}],
    ] as const) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { candidates: unknown[] }).candidates).toHaveLength(1);
    }
  });

  it('streams a Vertex streamGenerateContent?alt=sse', async () => {
    const url = `${platform.baseUrl}/v1/projects/any/locations/any/publishers/google/models/gemini-3-pro-preview:streamGenerateContent?alt=sse`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(body),
    });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(await response.text()).toMatch(/"finishReason":"STOP"/);
  });

  it('serves the OpenAI-compatible Vertex endpoint, with the google/ publisher prefix', async () => {
    const url = `${platform.baseUrl}/v1/projects/p/locations/l/endpoints/openapi/chat/completions`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ model: 'google/gemini-3-pro-preview', messages: [{ role: 'user', content: 'Hello' }] }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { object: string }).object).toBe('chat.completion');
  });

  it('answers errors in Google’s shape', async () => {
    const response = await fetch(`${platform.baseUrl}/v1beta/models/gemini-3-pro-preview:generateContent?key=wrong`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 401, message: expect.any(String), status: 'UNAUTHENTICATED' } });
    const bad = await fetch(`${platform.baseUrl}/v1beta/models/gemini-3-pro-preview:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': apiKey },
      body: JSON.stringify({ ...body, generationConfig: { temperature: 5 } }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 400, message: expect.stringContaining('temperature'), status: 'INVALID_ARGUMENT' } });
  });
});
