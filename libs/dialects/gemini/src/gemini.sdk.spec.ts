import { ApiError, FunctionCallingConfigMode, GoogleGenAI, HarmBlockThreshold, HarmCategory } from '@google/genai';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, setGlobalDispatcher } from 'undici';
import type { CanonicalChatRequest, CanonicalChatResponse, CanonicalStreamEvent } from '@apitopmix/contracts';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { toGeminiError } from './gemini-errors';
import { geminiDialect } from './gemini.dialect';
import { parseGeminiRequest } from './gemini.request';

/**
 * Google's own SDK (@google/genai) against a local server that speaks through this dialect: what the SDK sends must
 * validate and translate, and what the dialect answers (whole, streamed, failed) must be what the SDK reads.
 */
type Answer = { response?: CanonicalChatResponse; events?: CanonicalStreamEvent[]; error?: GatewayError };

class DialectServer {
  readonly seen: { url: string; headers: IncomingMessage['headers']; canonical: CanonicalChatRequest }[] = [];
  answer: Answer = {};
  private server!: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (part: string) => (text += part));
      req.on('end', () => this.handle(req, res, text));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(req: IncomingMessage, res: ServerResponse, text: string): void {
    const match = /^\/v1beta\/models\/([^:/]+):(generateContent|streamGenerateContent)(\?alt=sse)?$/.exec(req.url ?? '');
    try {
      if (!match) throw new GatewayError(ErrorCode.RouteNotFound, 'No such route.');
      const stream = match[2] === 'streamGenerateContent';
      const canonical = geminiDialect.toCanonical({ model: match[1], stream, body: parseGeminiRequest(JSON.parse(text)) });
      this.seen.push({ url: req.url ?? '', headers: req.headers, canonical });
      if (this.answer.error) throw this.answer.error;
      const context = { model: match[1], includeUsage: true, includeThoughts: canonical.thinking?.includeThoughts };
      if (!stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(geminiDialect.fromCanonical(this.answer.response as CanonicalChatResponse, context)));
        return;
      }
      const renderer = geminiDialect.streamRenderer(context);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const event of this.answer.events ?? []) for (const frame of renderer.render(event)) res.write(frame);
      res.end(renderer.end().join(''));
    } catch (error) {
      const { status, body } = toGeminiError(error instanceof GatewayError ? error : new GatewayError(ErrorCode.Internal, String(error)));
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    }
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const usage = { inputTokens: 9, outputTokens: 7, reasoningTokens: 3 };

const weatherCall: CanonicalStreamEvent[] = [
  { type: 'start', id: 'u', model: 'u' },
  { type: 'block_start', choice: 0, index: 0, block: { type: 'thinking' } },
  { type: 'thinking_delta', choice: 0, index: 0, text: 'The user wants weather.' },
  { type: 'signature_delta', choice: 0, index: 0, signature: 'gemini:VEhPVUdIVA==' },
  { type: 'block_stop', choice: 0, index: 0 },
  { type: 'block_start', choice: 0, index: 1, block: { type: 'text' } },
  { type: 'text_delta', choice: 0, index: 1, text: 'Let me ' },
  { type: 'text_delta', choice: 0, index: 1, text: 'check.' },
  { type: 'block_stop', choice: 0, index: 1 },
  { type: 'block_start', choice: 0, index: 2, block: { type: 'tool_call', id: 'call_0', name: 'get_weather', signature: 'U0lHLTE=' } },
  { type: 'tool_arguments_delta', choice: 0, index: 2, json: '{"city":"Paris"}' },
  { type: 'block_stop', choice: 0, index: 2 },
  { type: 'finish', choice: 0, stopReason: 'tool_calls' },
  { type: 'usage', usage },
];

describe('the Gemini dialect, driven by @google/genai', () => {
  let server: DialectServer;
  let ai: GoogleGenAI;

  // The SDK dispatches through the undici global dispatcher, which Node creates on its own global object, not on
  // the test sandbox's: give the sandbox one.
  beforeAll(() => setGlobalDispatcher(new Agent()));

  beforeEach(async () => {
    server = new DialectServer();
    ai = new GoogleGenAI({ apiKey: 'sk-apitopmix-test', httpOptions: { baseUrl: await server.start() } });
  });

  afterEach(() => server.stop());

  it('generateContent: every supported parameter the SDK sends arrives in the canonical request, and the SDK reads the answer', async () => {
    server.answer = {
      response: {
        id: 'u',
        model: 'u',
        choices: [
          {
            index: 0,
            stopReason: 'tool_calls',
            content: [
              { type: 'text', text: 'Checking.' },
              { type: 'tool_call', id: 'call_0', name: 'get_weather', arguments: '{"city":"Paris"}', signature: 'U0lHLTE=' },
            ],
          },
        ],
        usage,
      },
    };

    const response = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: [{ role: 'user', parts: [{ text: 'Weather in Paris?' }, { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } }] }],
      config: {
        systemInstruction: 'Be brief.',
        temperature: 0.5,
        topP: 0.9,
        topK: 20,
        maxOutputTokens: 300,
        stopSequences: ['END'],
        seed: 7,
        presencePenalty: 0.1,
        frequencyPenalty: 0.2,
        thinkingConfig: { thinkingBudget: 512, includeThoughts: true },
        safetySettings: [{ category: HarmCategory.HARM_CATEGORY_HARASSMENT, threshold: HarmBlockThreshold.BLOCK_ONLY_HIGH }],
        tools: [{ functionDeclarations: [{ name: 'get_weather', parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } } } }] }],
        toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY, allowedFunctionNames: ['get_weather'] } },
      },
    });

    expect(server.seen[0].url).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(server.seen[0].headers['x-goog-api-key']).toBe('sk-apitopmix-test');
    expect(server.seen[0].canonical).toEqual({
      model: 'gemini-2.5-flash',
      stream: false,
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in Paris?' },
            { type: 'image', mediaType: 'image/png', data: 'iVBORw0KGgo=' },
          ],
        },
      ],
      temperature: 0.5,
      topP: 0.9,
      topK: 20,
      maxOutputTokens: 300,
      stop: ['END'],
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      thinking: { enabled: true, budgetTokens: 512, includeThoughts: true },
      tools: [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
      toolChoice: { type: 'tool', name: 'get_weather' },
      extensions: { gemini: { safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }] } },
    });
    expect(response.candidates?.[0].content?.parts?.[0].text).toBe('Checking.');
    expect(response.functionCalls).toEqual([{ id: 'call_0', name: 'get_weather', args: { city: 'Paris' } }]);
    expect(response.candidates?.[0].content?.parts?.[1].thoughtSignature).toBe('U0lHLTE=');
    expect(response.candidates?.[0].finishReason).toBe('STOP');
    expect(response.usageMetadata).toMatchObject({ promptTokenCount: 9, candidatesTokenCount: 4, thoughtsTokenCount: 3, totalTokenCount: 16 });
    expect(response.modelVersion).toBe('gemini-2.5-flash');
  });

  it('generateContentStream: the SDK reads every SSE chunk, the thought, the signed function call, and the final usage', async () => {
    server.answer = { events: weatherCall };

    const chunks = [];
    for await (const chunk of await ai.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'Weather in Paris?',
      config: { thinkingConfig: { includeThoughts: true } },
    })) {
      chunks.push(chunk);
    }

    expect(server.seen[0].url).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(chunks.map((chunk) => chunk.candidates?.[0].content?.parts?.[0])).toEqual([
      { text: 'The user wants weather.', thought: true },
      { text: '', thought: true, thoughtSignature: 'VEhPVUdIVA==' },
      { text: 'Let me ' },
      { text: 'check.' },
      { functionCall: { id: 'call_0', name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'U0lHLTE=' },
      { text: '' },
    ]);
    expect(chunks[4].functionCalls).toEqual([{ id: 'call_0', name: 'get_weather', args: { city: 'Paris' } }]);
    expect(chunks.at(-1)?.candidates?.[0].finishReason).toBe('STOP');
    expect(chunks.at(-1)?.usageMetadata).toMatchObject({ promptTokenCount: 9, candidatesTokenCount: 4, thoughtsTokenCount: 3, totalTokenCount: 16 });
  });

  it('a streamed chat keeps the turn in the SDK’s history, and the next turn sends the signatures back', async () => {
    server.answer = { events: weatherCall };
    const chat = ai.chats.create({ model: 'gemini-3-pro-preview', config: { thinkingConfig: { includeThoughts: true } } });

    for await (const chunk of await chat.sendMessageStream({ message: 'Weather in Paris?' })) void chunk;
    // The SDK keeps the streamed answer, one model content per chunk.
    expect(chat.getHistory().map((content) => content.role)).toEqual(['user', 'model', 'model', 'model', 'model', 'model', 'model']);

    server.answer = {
      events: [
        { type: 'block_start', choice: 0, index: 0, block: { type: 'text' } },
        { type: 'text_delta', choice: 0, index: 0, text: 'It is 21°C.' },
        { type: 'block_stop', choice: 0, index: 0 },
        { type: 'finish', choice: 0, stopReason: 'stop' },
      ],
    };
    const reply = await chat.sendMessageStream({ message: [{ functionResponse: { id: 'call_0', name: 'get_weather', response: { temp: 21 } } }] });
    let text = '';
    for await (const chunk of reply) text += chunk.text ?? '';

    expect(text).toBe('It is 21°C.');
    const second = server.seen[1].canonical;
    expect(second.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', text: 'The user wants weather.', signature: 'gemini:VEhPVUdIVA==' },
        { type: 'text', text: 'Let me ' },
        { type: 'text', text: 'check.' },
        { type: 'tool_call', id: 'call_0', name: 'get_weather', arguments: '{"city":"Paris"}', signature: 'U0lHLTE=' },
        { type: 'text', text: '' },
      ],
    });
    expect(second.messages[2]).toEqual({
      role: 'tool',
      content: [{ type: 'tool_result', toolCallId: 'call_0', name: 'get_weather', content: [{ type: 'text', text: '{"temp":21}' }] }],
    });
  });

  it('an error mid-stream reaches the SDK as an ApiError with Google’s code', async () => {
    server.answer = {
      events: [
        { type: 'block_start', choice: 0, index: 0, block: { type: 'text' } },
        { type: 'text_delta', choice: 0, index: 0, text: 'Par' },
        { type: 'error', code: ErrorCode.UpstreamUnavailable, message: 'The upstream provider (anthropic) failed mid-stream.' },
      ],
    };
    const seen: string[] = [];

    const error = await rejection(
      (async () => {
        for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'x' })) seen.push(chunk.text ?? '');
      })(),
    );

    expect(seen).toEqual(['Par']);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503 });
    expect((error as ApiError).message).toContain('failed mid-stream');
  });

  it('an error before the answer reaches the SDK as an ApiError with the HTTP status and Google’s body', async () => {
    server.answer = { error: new GatewayError(ErrorCode.RateLimited, 'Rate limit reached.', { retryAfterSeconds: 3 }) };

    const error = await rejection(ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' }));

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429 });
    expect(JSON.parse((error as ApiError).message)).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Rate limit reached.' } });
  });

  it('a request the dialect refuses reaches the SDK as a 400 naming the field', async () => {
    const error = await rejection(ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x', config: { temperature: 5 } }));

    expect(error).toMatchObject({ status: 400 });
    expect(JSON.parse((error as ApiError).message)).toMatchObject({
      error: { code: 400, status: 'INVALID_ARGUMENT', message: "Invalid value at 'generationConfig.temperature': must be at most 2." },
    });
  });
});
