import type { CanonicalChatRequest } from '@apitopmix/contracts';
import { GatewayError } from '@apitopmix/platform/errors';
import { parseGeminiRequest } from './gemini.request';
import { geminiToCanonical } from './gemini.to-canonical';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

const toCanonical = (body: unknown, stream = false): CanonicalChatRequest =>
  geminiToCanonical({ model: 'gemini-2.5-flash', stream, body: parseGeminiRequest(body) });
const user = (text: string) => ({ role: 'user', parts: [{ text }] });

function errorOf(body: unknown): GatewayError {
  try {
    toCanonical(body);
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected an error');
}

describe('geminiToCanonical', () => {
  it('takes the model and the streaming choice from the URL, and maps system, roles and text', () => {
    const canonical = toCanonical(
      {
        systemInstruction: { parts: [{ text: 'You are terse.' }, { text: 'Answer in French.' }] },
        contents: [user('Hello!'), { role: 'model', parts: [{ text: 'Bonjour.' }] }, { parts: [{ text: 'Again' }] }],
      },
      true,
    );

    expect(canonical).toEqual({
      model: 'gemini-2.5-flash',
      stream: true,
      system: [
        { type: 'text', text: 'You are terse.' },
        { type: 'text', text: 'Answer in French.' },
      ],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Hello!' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Bonjour.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Again' }] },
      ],
    });
  });

  it('maps every generationConfig field of the spec table', () => {
    const canonical = toCanonical({
      contents: [user('hi')],
      generationConfig: {
        temperature: 0.7,
        topP: 0.9,
        topK: 40,
        maxOutputTokens: 200,
        stopSequences: ['END', 'STOP'],
        seed: 42,
        presencePenalty: 0.5,
        frequencyPenalty: -0.5,
        candidateCount: 2,
      },
    });

    expect(canonical).toMatchObject({
      temperature: 0.7,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 200,
      stop: ['END', 'STOP'],
      seed: 42,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      n: 2,
    });
    expect(canonical.extensions).toBeUndefined();
  });

  it('keeps generationConfig fields the canonical model has no place for under extensions.gemini', () => {
    const canonical = toCanonical({
      contents: [user('hi')],
      generationConfig: { temperature: 1, responseModalities: ['TEXT'], mediaResolution: 'MEDIA_RESOLUTION_LOW' },
    });
    expect(canonical.extensions).toEqual({ gemini: { generationConfig: { responseModalities: ['TEXT'], mediaResolution: 'MEDIA_RESOLUTION_LOW' } } });
  });

  it.each([
    ['budget > 0', { thinkingBudget: 1024, includeThoughts: true }, { enabled: true, budgetTokens: 1024, includeThoughts: true }],
    ['dynamic (-1)', { thinkingBudget: -1 }, { enabled: true, includeThoughts: false }],
    ['off (0)', { thinkingBudget: 0 }, { enabled: false, includeThoughts: false }],
    ['only includeThoughts', { includeThoughts: true }, { enabled: true, includeThoughts: true }],
  ])('maps thinkingConfig %s', (_label, thinkingConfig, thinking) => {
    expect(toCanonical({ contents: [user('hi')], generationConfig: { thinkingConfig } }).thinking).toEqual(thinking);
  });

  it('keeps thinkingLevel (Gemini 3) under extensions.gemini', () => {
    const canonical = toCanonical({ contents: [user('hi')], generationConfig: { thinkingConfig: { thinkingLevel: 'LOW', includeThoughts: true } } });
    expect(canonical.thinking).toEqual({ enabled: true, includeThoughts: true });
    expect(canonical.extensions).toEqual({ gemini: { thinkingLevel: 'low' } });
  });

  it('maps safetySettings to extensions.gemini.safetySettings', () => {
    const safetySettings = [
      { category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' },
      { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', threshold: 'OFF' },
    ];
    expect(toCanonical({ contents: [user('hi')], safetySettings }).extensions).toEqual({ gemini: { safetySettings } });
  });

  it('maps inline and file images to image parts', () => {
    const canonical = toCanonical({
      contents: [
        {
          role: 'user',
          parts: [
            { text: 'Compare' },
            { inlineData: { mimeType: 'image/png', data: PNG } },
            { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/cat.jpg' } },
          ],
        },
      ],
    });
    expect(canonical.messages[0].content).toEqual([
      { type: 'text', text: 'Compare' },
      { type: 'image', mediaType: 'image/png', data: PNG },
      { type: 'image', mediaType: 'image/jpeg', url: 'https://example.com/cat.jpg' },
    ]);
  });

  describe('function calling', () => {
    const tools = [
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Weather by city',
            parameters: { type: 'OBJECT', properties: { city: { type: 'STRING', nullable: true }, days: { type: 'INTEGER' } }, required: ['city'] },
          },
          { name: 'get_time', parametersJsonSchema: { type: 'object', properties: { tz: { type: 'string' } } } },
          { name: 'ping' },
        ],
      },
      { googleSearch: {} },
    ];

    it('maps declarations to tools (OpenAPI schemas as JSON Schema) and keeps other tool kinds under extensions.gemini', () => {
      const canonical = toCanonical({ contents: [user('hi')], tools });
      expect(canonical.tools).toEqual([
        {
          name: 'get_weather',
          description: 'Weather by city',
          parameters: { type: 'object', properties: { city: { type: ['string', 'null'] }, days: { type: 'integer' } }, required: ['city'] },
        },
        { name: 'get_time', parameters: { type: 'object', properties: { tz: { type: 'string' } } } },
        { name: 'ping', parameters: { type: 'object', properties: {} } },
      ]);
      expect(canonical.extensions).toEqual({ gemini: { tools: [{ googleSearch: {} }] } });
    });

    it.each([
      [{ mode: 'AUTO' }, { type: 'auto' }, undefined],
      [{ mode: 'NONE' }, { type: 'none' }, undefined],
      [{ mode: 'ANY' }, { type: 'required' }, undefined],
      [{ mode: 'ANY', allowedFunctionNames: ['get_time'] }, { type: 'tool', name: 'get_time' }, undefined],
      [{ mode: 'ANY', allowedFunctionNames: ['get_time', 'ping'] }, { type: 'required' }, { mode: 'ANY', allowedFunctionNames: ['get_time', 'ping'] }],
      [{ mode: 'VALIDATED' }, { type: 'auto' }, { mode: 'VALIDATED' }],
    ])('maps functionCallingConfig %j to toolChoice %j', (functionCallingConfig, toolChoice, kept) => {
      const canonical = toCanonical({ contents: [user('hi')], toolConfig: { functionCallingConfig } });
      expect(canonical.toolChoice).toEqual(toolChoice);
      expect(canonical.extensions?.gemini?.functionCallingConfig).toEqual(kept);
    });

    it('maps calls with their ids and signatures, and results (role tool) to the calls they answer', () => {
      const canonical = toCanonical({
        contents: [
          user('Weather in Paris and Rome, and the time?'),
          {
            role: 'model',
            parts: [
              { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'U0lHLTE=' },
              { functionCall: { name: 'get_weather', args: { city: 'Rome' } } },
              { functionCall: { id: 'fc-own', name: 'get_time', args: {} } },
            ],
          },
          {
            role: 'user',
            parts: [
              { functionResponse: { id: 'fc-own', name: 'get_time', response: { time: '12:00' } } },
              { functionResponse: { name: 'get_weather', response: { temp: 21 } } },
              { functionResponse: { name: 'get_weather', response: { error: 'no data' } } },
              { text: 'Thanks!' },
            ],
          },
        ],
      });

      expect(canonical.messages.slice(1)).toEqual([
        {
          role: 'assistant',
          content: [
            { type: 'tool_call', id: 'call_0', name: 'get_weather', arguments: '{"city":"Paris"}', signature: 'U0lHLTE=' },
            { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Rome"}' },
            { type: 'tool_call', id: 'fc-own', name: 'get_time', arguments: '{}' },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool_result', toolCallId: 'fc-own', name: 'get_time', content: [{ type: 'text', text: '{"time":"12:00"}' }] },
            { type: 'tool_result', toolCallId: 'call_0', name: 'get_weather', content: [{ type: 'text', text: '{"temp":21}' }] },
            { type: 'tool_result', toolCallId: 'call_1', name: 'get_weather', content: [{ type: 'text', text: '{"error":"no data"}' }], isError: true },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: 'Thanks!' }] },
      ]);
    });

    it('gives the same ids every time the same history is sent', () => {
      const body = {
        contents: [
          user('x'),
          { role: 'model', parts: [{ functionCall: { name: 'f', args: {} } }] },
          { role: 'user', parts: [{ functionResponse: { name: 'f', response: {} } }] },
        ],
      };
      expect(toCanonical(body)).toEqual(toCanonical(body));
    });

    it('takes images a function returned into its result', () => {
      const canonical = toCanonical({
        contents: [
          user('x'),
          { role: 'model', parts: [{ functionCall: { name: 'snap', args: {} } }] },
          {
            role: 'user',
            parts: [{ functionResponse: { name: 'snap', response: { ok: true }, parts: [{ inlineData: { mimeType: 'image/png', data: PNG } }] } }],
          },
        ],
      });
      expect(canonical.messages[2].content[0]).toMatchObject({
        content: [
          { type: 'text', text: '{"ok":true}' },
          { type: 'image', mediaType: 'image/png', data: PNG },
        ],
      });
    });
  });

  describe('thinking and signatures', () => {
    it('joins a streamed thought into one thinking part with the Gemini signature behind gemini:, and keeps text signatures', () => {
      const canonical = toCanonical({
        contents: [
          user('Why?'),
          {
            role: 'model',
            parts: [
              { text: 'Let me ', thought: true },
              { text: 'think.', thought: true },
              { text: '', thought: true, thoughtSignature: 'R0VNLVNJRw==' },
              { text: 'Because.' },
              { thoughtSignature: 'VEVYVC1TSUc=' },
            ],
          },
        ],
      });
      expect(canonical.messages[1].content).toEqual([
        { type: 'thinking', text: 'Let me think.', signature: 'gemini:R0VNLVNJRw==' },
        { type: 'text', text: 'Because.' },
        { type: 'text', text: '', signature: 'VEVYVC1TSUc=' },
      ]);
    });

    it('reads consecutive model contents (a streamed answer as the SDK keeps it) as one turn, joining the thought across them', () => {
      const canonical = toCanonical({
        contents: [
          user('Why?'),
          { role: 'model', parts: [{ text: 'Claude ', thought: true }] },
          { role: 'model', parts: [{ text: 'thought', thought: true }] },
          { role: 'model', parts: [{ text: '', thought: true, thoughtSignature: 'foreign:ErUB' }] },
          { role: 'model', parts: [{ text: 'Because.' }] },
          user('Ok'),
        ],
      });
      expect(canonical.messages).toEqual([
        { role: 'user', content: [{ type: 'text', text: 'Why?' }] },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', text: 'Claude thought', signature: 'ErUB' },
            { type: 'text', text: 'Because.' },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: 'Ok' }] },
      ]);
    });

    it('reads another vendor’s thinking back from its foreign: prefix, and an unsigned thought as thinking without signature', () => {
      const canonical = toCanonical({
        contents: [
          user('Why?'),
          {
            role: 'model',
            parts: [
              { text: 'Claude thought', thought: true, thoughtSignature: 'foreign:ErUBCkYIBRgCIkD' },
              { text: '', thought: true, thoughtSignature: 'foreign-redacted:EmwKAhgBEgy' },
              { text: 'unsigned', thought: true },
              { text: 'Answer.' },
            ],
          },
        ],
      });
      expect(canonical.messages[1].content).toEqual([
        { type: 'thinking', text: 'Claude thought', signature: 'ErUBCkYIBRgCIkD' },
        { type: 'thinking', text: '', redacted: 'EmwKAhgBEgy' },
        { type: 'thinking', text: 'unsigned' },
        { type: 'text', text: 'Answer.' },
      ]);
    });
  });

  describe('response format', () => {
    it.each([
      [{ responseMimeType: 'text/plain' }, { type: 'text' }],
      [{ responseMimeType: 'application/json' }, { type: 'json_object' }],
      [
        { responseMimeType: 'application/json', responseJsonSchema: { type: 'object', properties: { a: { type: 'number' } } } },
        { type: 'json_schema', schema: { type: 'object', properties: { a: { type: 'number' } } } },
      ],
      [
        { responseMimeType: 'application/json', responseSchema: { type: 'ARRAY', items: { type: 'STRING' }, maxItems: '3', example: ['a'] } },
        { type: 'json_schema', schema: { type: 'array', items: { type: 'string' }, maxItems: 3, examples: [['a']] } },
      ],
    ])('maps %j', (generationConfig, responseFormat) => {
      expect(toCanonical({ contents: [user('x')], generationConfig }).responseFormat).toEqual(responseFormat);
    });

    it('keeps text/x.enum (Gemini only) whole under extensions.gemini', () => {
      const canonical = toCanonical({
        contents: [user('x')],
        generationConfig: { responseMimeType: 'text/x.enum', responseSchema: { type: 'STRING', enum: ['a', 'b'] } },
      });
      expect(canonical.responseFormat).toBeUndefined();
      expect(canonical.extensions).toEqual({ gemini: { responseMimeType: 'text/x.enum', responseSchema: { type: 'STRING', enum: ['a', 'b'] } } });
    });
  });

  it.each([
    [{ contents: [user('x')], systemInstruction: { parts: [{ inlineData: { mimeType: 'image/png', data: PNG } }] } }, 'systemInstruction.parts[0]'],
    [{ contents: [{ role: 'user', parts: [{ executableCode: { language: 'PYTHON', code: 'print(1)' } }] }] }, 'contents[0].parts[0].executableCode'],
    [{ contents: [{ role: 'user', parts: [{ functionCall: { name: 'f' } }] }] }, 'contents[0].parts[0].functionCall'],
    [{ contents: [{ role: 'model', parts: [{ functionResponse: { name: 'f', response: {} } }] }] }, 'contents[0].parts[0].functionResponse'],
  ])('refuses what the canonical model cannot carry, naming the field: %j', (body, param) => {
    const error = errorOf(body);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 400, param });
    expect(error.message).toContain(`'${param}'`);
  });
});
