// Drives the Gemini format over real HTTP with raw fetch (the @google/genai SDK is not installed: its latest needs
// Node 22), checking the wire as Google's API reference describes it.
import { splitTokens } from '../shared/deterministic-text';
import { parseSse, startSandbox, TEST_API_KEY, type SandboxHarness } from '../testing/sandbox-harness';

let harness: SandboxHarness;
beforeAll(async () => (harness = await startSandbox()));
afterAll(() => harness.close());
beforeEach(() => harness.reset());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const MODEL = 'gemini-2.5-flash';
const KEY_HEADER = { 'x-goog-api-key': TEST_API_KEY, 'content-type': 'application/json' };

function call(method: string, body: unknown, options: { model?: string; query?: string; headers?: Record<string, string> } = {}) {
  const { model = MODEL, query = '', headers = KEY_HEADER } = options;
  return fetch(`${harness.origin}/v1beta/models/${model}:${method}${query}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function generate(body: unknown, model = MODEL): Promise<Json> {
  const res = await call('generateContent', body, { model });
  const json = (await res.json()) as Json;
  if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

const question = { contents: [{ role: 'user', parts: [{ text: 'What is the capital of France?' }] }] };

const weatherTools = [
  {
    functionDeclarations: [
      {
        name: 'get_weather',
        description: 'Current weather for a place',
        parameters: {
          type: 'OBJECT',
          properties: { location: { type: 'STRING' }, unit: { type: 'STRING', enum: ['celsius', 'fahrenheit'] }, note: { type: 'STRING' } },
          required: ['location', 'unit'],
        },
      },
    ],
  },
];
const TOOL_RESPONSE = { temperature: 21, conditions: 'sunny with a light breeze from the west, perfect for a walk' };

const textOf = (response: Json, candidate = 0): string =>
  response.candidates[candidate].content.parts
    .filter((p: Json) => !p.thought)
    .map((p: Json) => p.text ?? '')
    .join('');

describe('Gemini generateContent', () => {
  it('answers in the GenerateContentResponse shape with usage metadata', async () => {
    const res = await call('generateContent', question);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sandbox-provider')).toBe('gemini');
    const body = (await res.json()) as Json;
    expect(Object.keys(body)).toEqual(['candidates', 'usageMetadata', 'modelVersion', 'responseId']);
    expect(body.candidates).toEqual([
      {
        content: { parts: [{ text: expect.stringMatching(/^Sandbox reply to "What is the capital of France\?": \w+/) }], role: 'model' },
        finishReason: 'STOP',
        index: 0,
      },
    ]);
    const output = splitTokens(textOf(body)).length;
    // 3 framing + 6 text tokens.
    expect(body.usageMetadata).toEqual({
      promptTokenCount: 9,
      candidatesTokenCount: output,
      totalTokenCount: 9 + output,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: 9 }],
    });
    expect(body.modelVersion).toBe(MODEL);
    expect(body.responseId).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  });

  it('accepts the key as ?key= and snake_case field names, and honours generation settings', async () => {
    const res = await call(
      'generateContent',
      {
        system_instruction: { parts: [{ text: 'Be brief.' }] },
        contents: question.contents,
        generation_config: { max_output_tokens: 3, temperature: 0.2 },
      },
      { query: `?key=${TEST_API_KEY}`, headers: { 'content-type': 'application/json' } },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body.candidates[0]).toMatchObject({ finishReason: 'MAX_TOKENS', content: { parts: [{ text: 'Sandbox reply to' }] } });
    expect(body.usageMetadata.promptTokenCount).toBe(9 + 3 + 2);

    const stopped = await generate({ ...question, generationConfig: { stopSequences: [' to "'] } });
    expect(stopped.candidates[0]).toMatchObject({ finishReason: 'STOP', content: { parts: [{ text: 'Sandbox reply' }] } });
  });

  it('returns candidateCount distinct candidates, the first equal to a single-candidate reply', async () => {
    const single = await generate(question);
    const many = await generate({ ...question, generationConfig: { candidateCount: 2 } });
    expect(many.candidates.map((c: Json) => c.index)).toEqual([0, 1]);
    expect(textOf(many, 0)).toBe(textOf(single));
    expect(textOf(many, 1)).not.toBe(textOf(single));
  });

  it('answers JSON shaped by the response schema when asked for application/json', async () => {
    const body = await generate({
      ...question,
      generationConfig: {
        responseMimeType: 'application/json',
        responseSchema: { type: 'OBJECT', properties: { city: { type: 'STRING' }, population: { type: 'INTEGER' } }, required: ['city', 'population'] },
      },
    });
    expect(JSON.parse(textOf(body))).toEqual({ city: expect.any(String), population: 1 });
  });

  it('lists models and counts tokens in Google shapes', async () => {
    const list = await fetch(`${harness.origin}/v1beta/models`, { headers: KEY_HEADER });
    const models = ((await list.json()) as Json).models;
    expect(models.map((m: Json) => m.name)).toContain('models/gemini-2.5-flash');
    expect(models[0]).toMatchObject({ supportedGenerationMethods: expect.arrayContaining(['generateContent', 'streamGenerateContent']) });
    const one = await fetch(`${harness.origin}/v1beta/models/gemini-2.5-pro`, { headers: KEY_HEADER });
    expect(((await one.json()) as Json).name).toBe('models/gemini-2.5-pro');

    const counted = await call('countTokens', question);
    expect(await counted.json()).toEqual({ totalTokens: 9, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 9 }] });
  });
});

describe('Gemini streamGenerateContent', () => {
  it('streams SSE chunks with CRLF framing, each a full GenerateContentResponse, the last one complete', async () => {
    const plain = await generate(question);
    const res = await call('streamGenerateContent', question, { query: '?alt=sse' });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const raw = await res.text();
    expect(raw.startsWith('data: {"candidates":')).toBe(true);
    expect(raw.endsWith('}\r\n\r\n')).toBe(true);
    expect(raw.split('\r\n\r\n').length - 1).toBe(plain.usageMetadata.candidatesTokenCount);

    const chunks = parseSse(raw).map((e) => JSON.parse(e.data) as Json);
    expect(chunks).toHaveLength(plain.usageMetadata.candidatesTokenCount);
    expect(chunks.map((c) => c.candidates[0].content.parts[0].text).join('')).toBe(textOf(plain));
    expect(new Set(chunks.map((c) => c.responseId)).size).toBe(1);
    expect(chunks.every((c) => c.modelVersion === MODEL && c.candidates[0].content.role === 'model')).toBe(true);
    expect(chunks.slice(0, -1).every((c) => c.candidates[0].finishReason === undefined)).toBe(true);
    const last = chunks[chunks.length - 1];
    expect(last.candidates[0].finishReason).toBe('STOP');
    expect(last.usageMetadata).toEqual(plain.usageMetadata);
    expect(chunks[0].usageMetadata).toEqual({ promptTokenCount: 9, totalTokenCount: 9, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 9 }] });
  });

  it('streams one JSON array without alt=sse, flushing elements as they are produced', async () => {
    const plain = await generate(question);
    const res = await call('streamGenerateContent', question);
    expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    const raw = await res.text();
    expect(raw.startsWith('[{')).toBe(true);
    const chunks = JSON.parse(raw) as Json[];
    expect(chunks).toHaveLength(plain.usageMetadata.candidatesTokenCount);
    expect(chunks.map((c) => c.candidates[0].content.parts[0].text).join('')).toBe(textOf(plain));
    expect(chunks[chunks.length - 1].usageMetadata).toEqual(plain.usageMetadata);
    const record = (await harness.requestLog()).find((r) => r.path.includes(':streamGenerateContent'));
    expect(record).toMatchObject({ format: 'gemini', chunksSent: chunks.length, aborted: false });
  });
});

describe('Gemini errors in Google shape', () => {
  it.each([
    ['no key', { 'content-type': 'application/json' }, 403, 'PERMISSION_DENIED', /^Method doesn't allow unregistered callers/],
    ['a wrong key (Google answers 400 API_KEY_INVALID)', { 'x-goog-api-key': 'AIzaWrongKey0123456789' }, 400, 'INVALID_ARGUMENT', /^API key not valid/],
    ['a bearer token instead of a key', { authorization: 'Bearer ya29.token' }, 401, 'UNAUTHENTICATED', /^Request had invalid authentication credentials/],
  ])('refuses %s', async (_case, headers, code, status, message) => {
    const res = await call('generateContent', question, { headers: headers as Record<string, string> });
    expect(res.status).toBe(code);
    const body = (await res.json()) as Json;
    expect(body.error).toMatchObject({ code, status });
    expect(body.error.message).toMatch(message);
    expect(JSON.stringify(body)).not.toContain('WrongKey0123456789');
    if (code === 400) expect(body.error.details[0]).toMatchObject({ reason: 'API_KEY_INVALID' });
  });

  it('wraps errors of a JSON-array stream in an array, as Google does', async () => {
    const res = await call('streamGenerateContent', question, { headers: { 'x-goog-api-key': 'wrong' } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Json;
    expect(Array.isArray(body)).toBe(true);
    expect(body[0].error.status).toBe('INVALID_ARGUMENT');
  });

  it.each([
    ['an OpenAI field at the top level', { ...question, messages: [] }, 'Invalid JSON payload received. Unknown name "messages": Cannot find field.'],
    [
      'an unknown generation setting',
      { ...question, generation_config: { max_tokens: 5 } },
      `Invalid JSON payload received. Unknown name "maxTokens" at 'generation_config': Cannot find field.`,
    ],
    ['a missing contents', { generationConfig: {} }, '* GenerateContentRequest.contents: contents is not specified'],
    ['an assistant role', { contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] }, 'Please use a valid role: user, model.'],
    ['empty parts', { contents: [{ role: 'user', parts: [] }] }, '* GenerateContentRequest.contents[0].parts: contents.parts must not be empty.'],
    [
      'a part without data',
      { contents: [{ role: 'user', parts: [{ thought: true }] }] },
      "* GenerateContentRequest.contents[0].parts[0].data: required oneof field 'data' must have one initialized field",
    ],
    [
      'temperature above 2',
      { ...question, generationConfig: { temperature: 3 } },
      '* GenerateContentRequest.generation_config.temperature: must be less than or equal to 2',
    ],
    ['a string temperature', { ...question, generationConfig: { temperature: 'hot' } }, `Invalid value at 'generation_config.temperature' (TYPE_FLOAT), "hot"`],
    [
      'a function response with no call before it',
      { contents: [{ role: 'user', parts: [{ functionResponse: { name: 'f', response: {} } }] }] },
      'Please ensure that function response turn comes immediately after a function call turn.',
    ],
    ['malformed JSON', '{"contents":', 'Invalid JSON payload received.'],
  ])('400s %s', async (_case, body, message) => {
    const res = await call('generateContent', body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as Json;
    expect(json.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(json.error.message).toContain(message);
  });

  it('404s unknown methods with NOT_FOUND', async () => {
    const res = await call('embedEverything', question);
    expect(res.status).toBe(404);
    expect(((await res.json()) as Json).error).toMatchObject({ code: 404, status: 'NOT_FOUND' });
  });
});

describe('Gemini function calling', () => {
  const toolRequest = { contents: [{ role: 'user', parts: [{ text: 'Weather in Paris?' }] }], tools: weatherTools };

  it('calls the declared function with arguments from its schema, then quotes the function response', async () => {
    const first = await generate(toolRequest);
    const parts = first.candidates[0].content.parts;
    expect(parts).toEqual([{ functionCall: { name: 'get_weather', args: { location: expect.stringMatching(/^[a-z]+$/), unit: 'celsius' } } }]);
    expect(first.candidates[0].finishReason).toBe('STOP');

    const second = await generate({
      ...toolRequest,
      contents: [
        ...toolRequest.contents,
        { role: 'model', parts },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: TOOL_RESPONSE } }] },
      ],
    });
    expect(textOf(second)).toBe(`Tool get_weather returned: ${JSON.stringify(TOOL_RESPONSE).slice(0, 60)}`);
  });

  it('answers in text with mode NONE, and streams a function call whole in one chunk', async () => {
    const none = await generate({ ...toolRequest, toolConfig: { functionCallingConfig: { mode: 'NONE' } } });
    expect(none.candidates[0].content.parts[0].text).toMatch(/^Sandbox reply to "Weather in Paris\?"/);

    const chunks = parseSse(await (await call('streamGenerateContent', toolRequest, { query: '?alt=sse' })).text()).map((e) => JSON.parse(e.data) as Json);
    expect(chunks).toHaveLength(1);
    expect(chunks[0].candidates[0]).toMatchObject({ content: { parts: [{ functionCall: { name: 'get_weather' } }] }, finishReason: 'STOP' });
  });
});

describe('Gemini thinking and thought signatures', () => {
  const thinkingConfig = { thinkingBudget: 1024, includeThoughts: true };

  it('returns thought parts with includeThoughts and reports thoughtsTokenCount', async () => {
    const body = await generate({ ...question, generationConfig: { thinkingConfig } });
    const [thought, answer] = body.candidates[0].content.parts;
    expect(thought).toEqual({ text: expect.stringMatching(/^Sandbox thinking about "What is the capital/), thought: true });
    const thoughts = splitTokens(thought.text).length;
    const output = splitTokens(answer.text).length;
    expect(body.usageMetadata).toMatchObject({ thoughtsTokenCount: thoughts, candidatesTokenCount: output, totalTokenCount: 9 + output + thoughts });

    const hidden = await generate({ ...question, generationConfig: { thinkingConfig: { thinkingBudget: 1024 } } });
    expect(hidden.candidates[0].content.parts).toEqual([answer]);
    expect(hidden.usageMetadata.thoughtsTokenCount).toBe(thoughts);
  });

  it('streams thought pieces before the answer', async () => {
    const chunks = parseSse(
      await (await call('streamGenerateContent', { ...question, generationConfig: { thinkingConfig } }, { query: '?alt=sse' })).text(),
    ).map((e) => JSON.parse(e.data) as Json);
    const kinds = chunks.map((c) => (c.candidates[0].content.parts[0].thought ? 'thought' : 'text'));
    expect(kinds.indexOf('text')).toBeGreaterThan(0);
    expect(kinds.slice(kinds.indexOf('text')).every((k) => k === 'text')).toBe(true);
  });

  describe('round trip of a signed function call', () => {
    const request = {
      ...{ contents: [{ role: 'user', parts: [{ text: 'Weather in Paris?' }] }] },
      tools: weatherTools,
      generationConfig: { thinkingConfig: { thinkingBudget: 1024 } },
    };
    const followUp = (modelParts: Json[]) => ({
      ...request,
      contents: [
        ...request.contents,
        { role: 'model', parts: modelParts },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: TOOL_RESPONSE } }] },
      ],
    });

    it('signs the function call deterministically and accepts it back untouched', async () => {
      const first = await generate(request);
      const part = first.candidates[0].content.parts[0];
      expect(part).toEqual({ functionCall: { name: 'get_weather', args: expect.any(Object) }, thoughtSignature: expect.any(String) });
      expect((await generate(request)).candidates[0].content.parts[0].thoughtSignature).toBe(part.thoughtSignature);
      // Key order inside args does not matter, as it would not to Google.
      const reordered = {
        ...part,
        functionCall: { name: 'get_weather', args: { unit: part.functionCall.args.unit, location: part.functionCall.args.location } },
      };
      expect(textOf(await generate(followUp([reordered])))).toMatch(/^Tool get_weather returned: /);
    });

    it('refuses the follow-up when the signature was dropped, like Gemini 3', async () => {
      const part = (await generate(request)).candidates[0].content.parts[0];
      const { thoughtSignature: _dropped, ...unsigned } = part;
      const res = await call('generateContent', followUp([unsigned]));
      expect(res.status).toBe(400);
      expect(((await res.json()) as Json).error.message).toMatch(
        /^Function call is missing a thought_signature in functionCall parts\. .* function call `default_api:get_weather` , position 2\./,
      );
    });

    it("refuses a signature moved to different arguments, and accepts Google's documented skip value", async () => {
      const part = (await generate(request)).candidates[0].content.parts[0];
      const tampered = { ...part, functionCall: { name: 'get_weather', args: { ...part.functionCall.args, unit: 'fahrenheit' } } };
      const res = await call('generateContent', followUp([tampered]));
      expect(res.status).toBe(400);
      expect(((await res.json()) as Json).error.message).toBe('Corrupted thought signature.');

      const skipped = { ...part, thoughtSignature: 'skip_thought_signature_validator' };
      expect((await call('generateContent', followUp([skipped]))).status).toBe(200);
    });

    it('always thinks for Gemini 3 models, so their calls are signed and checked without thinkingConfig', async () => {
      const plainRequest = { contents: request.contents, tools: weatherTools };
      const first = await generate(plainRequest, 'gemini-3-pro-preview');
      const part = first.candidates[0].content.parts[0];
      expect(part.thoughtSignature).toEqual(expect.any(String));
      expect(first.usageMetadata.thoughtsTokenCount).toBeGreaterThan(0);
      const { thoughtSignature: _dropped, ...unsigned } = part;
      const body = { ...plainRequest, contents: followUp([unsigned]).contents };
      expect((await call('generateContent', body, { model: 'gemini-3-pro-preview' })).status).toBe(400);
      // The same history is fine for a model that is not thinking: it was never issued a signature.
      expect((await call('generateContent', body, { model: 'gemini-2.5-flash' })).status).toBe(200);
    });
  });
});

describe('Gemini images', () => {
  it('names the images it received and bills 85 tokens each as IMAGE modality', async () => {
    const body = await generate({
      contents: [
        {
          role: 'user',
          parts: [
            { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
            { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/cat.jpg' } },
            { text: 'Describe these' },
          ],
        },
      ],
    });
    expect(textOf(body)).toMatch(/^Sandbox reply to "Describe these": I see 2 images \(image\/png, image\/jpeg\)\. \w+/);
    expect(body.usageMetadata.promptTokensDetails).toEqual([
      { modality: 'TEXT', tokenCount: 3 + 2 },
      { modality: 'IMAGE', tokenCount: 170 },
    ]);
  });
});
