import type { CanonicalChatRequest, CanonicalMessage } from '@apitopmix/contracts';
import { GatewayError } from '@apitopmix/platform/errors';
import { GeminiUpstreamContext, geminiFormat } from './gemini.chat';
import type { GeminiGenerateContentRequest } from './gemini.types';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const ctx: GeminiUpstreamContext = { upstreamModel: 'gemini-2.5-flash' };

const request = (overrides: Partial<CanonicalChatRequest> = {}): CanonicalChatRequest => ({
  model: 'gemini-2.5-flash',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello!' }] }],
  stream: false,
  ...overrides,
});

const toUpstream = (overrides: Partial<CanonicalChatRequest> = {}, context: GeminiUpstreamContext = ctx): GeminiGenerateContentRequest =>
  geminiFormat.toUpstream(request(overrides), context);

function errorOf(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected an error');
}

const weatherTurn: CanonicalMessage[] = [
  { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
  {
    role: 'assistant',
    content: [
      { type: 'tool_call', id: 'call_0', name: 'get_weather', arguments: '{"city":"Paris"}', signature: 'U0lHLTE=' },
      { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Rome"}' },
    ],
  },
  {
    role: 'tool',
    content: [
      { type: 'tool_result', toolCallId: 'call_0', content: [{ type: 'text', text: '{"temp":21}' }] },
      { type: 'tool_result', toolCallId: 'call_1', name: 'get_weather', content: [{ type: 'text', text: 'sunny, 25°C' }] },
    ],
  },
];

describe('GeminiFormat.toUpstream', () => {
  it('maps system to systemInstruction, assistant to model, and merges consecutive contents of one role', () => {
    const body = toUpstream({
      system: [
        { type: 'text', text: 'Be brief.' },
        { type: 'text', text: 'Answer in French.' },
      ],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
        { role: 'user', content: [{ type: 'text', text: 'there' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Bonjour.', signature: 'VEVYVA==' }] },
        { role: 'user', content: [{ type: 'text', text: 'Again' }] },
      ],
    });
    expect(body).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Answer in French.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }, { text: 'there' }] },
        { role: 'model', parts: [{ text: 'Bonjour.', thoughtSignature: 'VEVYVA==' }] },
        { role: 'user', parts: [{ text: 'Again' }] },
      ],
    });
  });

  it('maps every sampling parameter to generationConfig', () => {
    const body = toUpstream({
      temperature: 0.7,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 200,
      stop: ['END'],
      seed: 42,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      n: 2,
    });
    expect(body.generationConfig).toEqual({
      temperature: 0.7,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 200,
      stopSequences: ['END'],
      seed: 42,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      candidateCount: 2,
    });
    expect(toUpstream().generationConfig).toBeUndefined();
  });

  it('caps maxOutputTokens at the model’s limit', () => {
    expect(toUpstream({ maxOutputTokens: 100_000 }, { ...ctx, maxOutputTokens: 65_536 }).generationConfig?.maxOutputTokens).toBe(65_536);
  });

  it.each([
    [{ stop: ['1', '2', '3', '4', '5', '6'] }, 'stop'],
    [{ n: 9 }, 'n'],
  ])('refuses %j, naming the field', (overrides, param) => {
    const error = errorOf(() => toUpstream(overrides));
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 400, param });
    expect(error.message).toContain(`'${param}'`);
  });

  it.each([
    [{ type: 'text' }, { responseMimeType: 'text/plain' }],
    [{ type: 'json_object' }, { responseMimeType: 'application/json' }],
    [
      { type: 'json_schema', name: 'x', strict: true, schema: { type: 'object' } },
      { responseMimeType: 'application/json', responseJsonSchema: { type: 'object' } },
    ],
  ] as const)('maps responseFormat %j', (responseFormat, config) => {
    expect(toUpstream({ responseFormat }).generationConfig).toEqual(config);
  });

  it('sends Gemini’s own fields from extensions.gemini: safetySettings, text/x.enum, other generationConfig fields, other tools', () => {
    const safetySettings = [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }];
    const body = toUpstream({
      temperature: 1,
      extensions: {
        gemini: {
          safetySettings,
          responseMimeType: 'text/x.enum',
          responseSchema: { type: 'STRING', enum: ['a', 'b'] },
          generationConfig: { responseModalities: ['TEXT'], temperature: 0 },
          tools: [{ googleSearch: {} }],
        },
      },
    });
    expect(body.safetySettings).toEqual(safetySettings);
    expect(body.generationConfig).toEqual({
      responseModalities: ['TEXT'],
      temperature: 1,
      responseMimeType: 'text/x.enum',
      responseSchema: { type: 'STRING', enum: ['a', 'b'] },
    });
    expect(body.tools).toEqual([{ googleSearch: {} }]);
  });

  describe('thinking', () => {
    it.each<[string, CanonicalChatRequest['thinking'], GeminiUpstreamContext['thinking'], unknown]>([
      ['a budget', { enabled: true, budgetTokens: 2048, includeThoughts: true }, { mode: 'optional' }, { thinkingBudget: 2048, includeThoughts: true }],
      ['no budget: dynamic', { enabled: true }, { mode: 'optional' }, { thinkingBudget: -1, includeThoughts: true }],
      ['thoughts not wanted', { enabled: true, budgetTokens: 512, includeThoughts: false }, undefined, { thinkingBudget: 512, includeThoughts: false }],
      ['off where the model can turn it off', { enabled: false }, { mode: 'optional' }, { thinkingBudget: 0 }],
      ['off, model unknown', { enabled: false }, undefined, { thinkingBudget: 0 }],
      ['off where the model always thinks: nothing sent', { enabled: false }, { mode: 'always' }, undefined],
      ['absent on a -thinking variant: its budget', undefined, { mode: 'variant', budgetTokens: 8192 }, { thinkingBudget: 8192, includeThoughts: true }],
      ['absent on a -thinking variant without a budget: dynamic', undefined, { mode: 'variant' }, { thinkingBudget: -1, includeThoughts: true }],
      ['absent elsewhere: model default', undefined, { mode: 'optional' }, undefined],
    ])('%s', (_label, thinking, model, thinkingConfig) => {
      expect(toUpstream({ thinking }, { ...ctx, thinking: model }).generationConfig?.thinkingConfig).toEqual(thinkingConfig);
    });

    it('sends thinkingLevel (Gemini 3) instead of a budget when the caller gave one', () => {
      const gemini = { thinkingLevel: 'low' };
      expect(toUpstream({ thinking: { enabled: true, includeThoughts: true }, extensions: { gemini } }).generationConfig?.thinkingConfig).toEqual({
        thinkingLevel: 'low',
        includeThoughts: true,
      });
      expect(toUpstream({ extensions: { gemini } }).generationConfig?.thinkingConfig).toEqual({ thinkingLevel: 'low' });
    });

    it('adds a variant’s budget to maxOutputTokens (Gemini counts thinking in it), capped at the model’s limit', () => {
      const variant = { ...ctx, thinking: { mode: 'variant', budgetTokens: 8192 } as const, maxOutputTokens: 65_536 };
      expect(toUpstream({ maxOutputTokens: 500 }, variant).generationConfig?.maxOutputTokens).toBe(8692);
      expect(toUpstream({ maxOutputTokens: 60_000 }, variant).generationConfig?.maxOutputTokens).toBe(65_536);
      expect(toUpstream({ maxOutputTokens: 500, thinking: { enabled: true, budgetTokens: 1024 } }, variant).generationConfig?.maxOutputTokens).toBe(500);
    });

    it('sends back only Gemini’s own thoughts, as signed thought parts; Anthropic’s, unsigned and redacted thinking are dropped', () => {
      const body = toUpstream({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Why?' }] },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', text: 'Gemini thought', signature: 'gemini:R0VN' },
              { type: 'thinking', text: 'Claude thought', signature: 'ErUBCkYIBRgCIkD' },
              { type: 'thinking', text: '', redacted: 'EmwKAhgB' },
              { type: 'thinking', text: 'unsigned' },
              { type: 'text', text: 'Because.' },
            ],
          },
          { role: 'assistant', content: [{ type: 'thinking', text: 'only Claude', signature: 'Eq' }] },
        ],
      });
      expect(body.contents).toEqual([
        { role: 'user', parts: [{ text: 'Why?' }] },
        { role: 'model', parts: [{ text: 'Gemini thought', thought: true, thoughtSignature: 'R0VN' }, { text: 'Because.' }] },
      ]);
    });
  });

  describe('images', () => {
    it.each([
      [{ type: 'image', mediaType: 'image/png', data: PNG }, { inlineData: { mimeType: 'image/png', data: PNG } }],
      [{ type: 'image', data: PNG }, { inlineData: { mimeType: 'image/png', data: PNG } }],
      [{ type: 'image', data: '/9j/4AAQ' }, { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } }],
      [{ type: 'image', url: `data:image/webp;base64,${PNG}` }, { inlineData: { mimeType: 'image/webp', data: PNG } }],
      [{ type: 'image', url: 'data:text/plain,hi%20there' }, { inlineData: { mimeType: 'text/plain', data: Buffer.from('hi there').toString('base64') } }],
      [
        { type: 'image', url: 'https://example.com/cat.PNG?size=large' },
        { fileData: { fileUri: 'https://example.com/cat.PNG?size=large', mimeType: 'image/png' } },
      ],
      [{ type: 'image', url: 'https://example.com/photo' }, { fileData: { fileUri: 'https://example.com/photo', mimeType: 'image/jpeg' } }],
      [
        { type: 'image', url: 'https://generativelanguage.googleapis.com/v1beta/files/abc', mediaType: 'image/heic' },
        { fileData: { fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc', mimeType: 'image/heic' } },
      ],
    ] as const)('maps %j', (image, part) => {
      expect(toUpstream({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Look' }, image] }] }).contents[0].parts).toEqual([
        { text: 'Look' },
        part,
      ]);
    });
  });

  describe('function calling', () => {
    it('maps tools to functionDeclarations with parametersJsonSchema, and toolChoice to functionCallingConfig', () => {
      const body = toUpstream({
        tools: [
          { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
          { name: 'ping', parameters: {} },
        ],
        toolChoice: { type: 'tool', name: 'get_weather' },
        extensions: { gemini: { tools: [{ codeExecution: {} }] } },
      });
      expect(body.tools).toEqual([
        {
          functionDeclarations: [
            {
              name: 'get_weather',
              description: 'Weather by city',
              parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            },
            { name: 'ping' },
          ],
        },
        { codeExecution: {} },
      ]);
      expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } });
    });

    it.each([
      [{ type: 'auto' }, { mode: 'AUTO' }],
      [{ type: 'none' }, { mode: 'NONE' }],
      [{ type: 'required' }, { mode: 'ANY' }],
    ] as const)('maps toolChoice %j', (toolChoice, functionCallingConfig) => {
      expect(toUpstream({ toolChoice }).toolConfig).toEqual({ functionCallingConfig });
    });

    it('sends a functionCallingConfig kept whole from a Gemini caller as it was', () => {
      const kept = { mode: 'VALIDATED', allowedFunctionNames: ['a', 'b'] };
      expect(toUpstream({ toolChoice: { type: 'auto' }, extensions: { gemini: { functionCallingConfig: kept } } }).toolConfig).toEqual({
        functionCallingConfig: kept,
      });
    });

    it('maps calls with ids, args and signatures, and results to functionResponse parts named after their call', () => {
      expect(toUpstream({ messages: weatherTurn }).contents).toEqual([
        { role: 'user', parts: [{ text: 'Weather in Paris and Rome?' }] },
        {
          role: 'model',
          parts: [
            { functionCall: { id: 'call_0', name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'U0lHLTE=' },
            { functionCall: { id: 'call_1', name: 'get_weather', args: { city: 'Rome' } } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { id: 'call_0', name: 'get_weather', response: { temp: 21 } } },
            { functionResponse: { id: 'call_1', name: 'get_weather', response: { output: 'sunny, 25°C' } } },
          ],
        },
      ]);
    });

    it('sends a failed call’s text as {error}, the images a tool returned after the responses, and empty arguments as {}', () => {
      const body = toUpstream({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'x' }] },
          { role: 'assistant', content: [{ type: 'tool_call', id: 't1', name: 'snap', arguments: '' }] },
          {
            role: 'user',
            content: [
              { type: 'tool_result', toolCallId: 't1', isError: true, content: [{ type: 'text', text: 'camera offline' }] },
              { type: 'tool_result', toolCallId: 't1', content: [{ type: 'image', mediaType: 'image/png', data: PNG }] },
              { type: 'text', text: 'What now?' },
            ],
          },
        ],
      });
      expect(body.contents.slice(1)).toEqual([
        { role: 'model', parts: [{ functionCall: { id: 't1', name: 'snap', args: {} } }] },
        {
          role: 'user',
          parts: [
            { functionResponse: { id: 't1', name: 'snap', response: { error: 'camera offline' } } },
            { functionResponse: { id: 't1', name: 'snap', response: { output: '' } } },
            { text: 'What now?' },
            { inlineData: { mimeType: 'image/png', data: PNG } },
          ],
        },
      ]);
    });

    it('refuses a result whose call is not in the conversation, and arguments that are not a JSON object', () => {
      expect(errorOf(() => toUpstream({ messages: [{ role: 'tool', content: [{ type: 'tool_result', toolCallId: 'gone', content: [] }] }] })).message).toMatch(
        /'gone'/,
      );
      const badArgs = errorOf(() =>
        toUpstream({ messages: [{ role: 'assistant', content: [{ type: 'tool_call', id: 'a', name: 'f', arguments: '[1,2]' }] }] }),
      );
      expect(badArgs).toMatchObject({ status: 400 });
      expect(badArgs.message).toMatch(/'f'.*not a JSON object/);
    });

    describe('signatures Gemini 3 requires', () => {
      const foreignTurn: CanonicalMessage[] = [
        { role: 'user', content: [{ type: 'text', text: 'Earlier question' }] },
        { role: 'assistant', content: [{ type: 'tool_call', id: 'a', name: 'f', arguments: '{}' }] },
        { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'a', content: [{ type: 'text', text: '{}' }] }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Done.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Now this' }] },
        {
          role: 'assistant',
          content: [
            { type: 'tool_call', id: 'b', name: 'f', arguments: '{}' },
            { type: 'tool_call', id: 'c', name: 'f', arguments: '{}' },
          ],
        },
        { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'b', content: [] }] },
        { role: 'assistant', content: [{ type: 'tool_call', id: 'd', name: 'f', arguments: '{}', signature: 'R0VNLUQ=' }] },
        { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'd', content: [] }] },
      ];

      it('gives the first unsigned call of each step in the current turn Google’s stand-in signature, on Gemini 3', () => {
        const contents = toUpstream({ messages: foreignTurn }, { upstreamModel: 'gemini-3-pro-preview' }).contents;
        const signatures = contents.filter((c) => c.role === 'model').map((c) => c.parts.map((p) => p.thoughtSignature));
        // Earlier turn (call a, then 'Done.'): untouched. Current turn: step b+c gets the stand-in on b only; step d keeps its own.
        expect(signatures).toEqual([[undefined], [undefined], ['skip_thought_signature_validator', undefined], ['R0VNLUQ=']]);
      });

      it('leaves Gemini 2.x requests as they are', () => {
        const contents = toUpstream({ messages: foreignTurn }, { upstreamModel: 'gemini-2.5-pro' }).contents;
        expect(contents.flatMap((c) => c.parts).filter((p) => p.thoughtSignature === 'skip_thought_signature_validator')).toEqual([]);
      });
    });
  });

  it('refuses a conversation with nothing Gemini can take', () => {
    expect(errorOf(() => toUpstream({ messages: [{ role: 'assistant', content: [{ type: 'thinking', text: 'x', signature: 'Eq' }] }] }))).toMatchObject({
      status: 400,
      param: 'messages',
    });
  });
});

describe('GeminiFormat.fromUpstream', () => {
  it('reads a thinking answer (thought summary, text, usage with thoughts counted as output)', () => {
    const canonical = geminiFormat.fromUpstream({
      candidates: [
        {
          content: {
            parts: [
              { text: '**Weighing the options**\nThe user asks about Occam’s razor.', thought: true },
              { text: 'Occam’s razor favours the simplest explanation.', thoughtSignature: 'Q2lRQmNlUUdqVg==' },
            ],
            role: 'model',
          },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: {
        promptTokenCount: 12,
        candidatesTokenCount: 9,
        totalTokenCount: 1_221,
        promptTokensDetails: [{ modality: 'TEXT', tokenCount: 12 }],
        thoughtsTokenCount: 1_200,
      } as never,
      modelVersion: 'gemini-2.5-flash',
      responseId: 'Il0taoSYJ5Cez7',
    });

    expect(canonical).toEqual({
      id: 'Il0taoSYJ5Cez7',
      model: 'gemini-2.5-flash',
      choices: [
        {
          index: 0,
          stopReason: 'stop',
          content: [
            { type: 'thinking', text: '**Weighing the options**\nThe user asks about Occam’s razor.' },
            { type: 'text', text: 'Occam’s razor favours the simplest explanation.', signature: 'Q2lRQmNlUUdqVg==' },
          ],
        },
      ],
      usage: { inputTokens: 12, outputTokens: 1_209, reasoningTokens: 1_200 },
    });
  });

  it('reads parallel function calls (the signature on the first), minting ids Gemini left out, as tool_calls', () => {
    const canonical = geminiFormat.fromUpstream({
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { functionCall: { name: 'get_current_temperature', args: { location: 'Paris' } }, thoughtSignature: 'PFNpZ25hdHVyZV9BPg==' },
              { functionCall: { name: 'get_current_temperature', args: { location: 'London' } } },
              { functionCall: { id: 'own-id', name: 'get_time' } },
            ],
          },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: { promptTokenCount: 50, candidatesTokenCount: 30, totalTokenCount: 80 },
      modelVersion: 'gemini-3-pro-preview',
    });

    expect(canonical.choices[0]).toEqual({
      index: 0,
      stopReason: 'tool_calls',
      content: [
        { type: 'tool_call', id: 'call_0', name: 'get_current_temperature', arguments: '{"location":"Paris"}', signature: 'PFNpZ25hdHVyZV9BPg==' },
        { type: 'tool_call', id: 'call_1', name: 'get_current_temperature', arguments: '{"location":"London"}' },
        { type: 'tool_call', id: 'own-id', name: 'get_time', arguments: '{}' },
      ],
    });
    expect(canonical.id).toBe('');
  });

  it('joins thought parts into one thinking block, its Gemini signature behind gemini:', () => {
    const canonical = geminiFormat.fromUpstream({
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { text: 'Part one. ', thought: true },
              { text: 'Part two.', thought: true, thoughtSignature: 'U0lH' },
              { text: 'Answer' },
              { thoughtSignature: 'TEFTVA==' },
            ],
          },
          finishReason: 'STOP',
        },
      ],
    });
    expect(canonical.choices[0].content).toEqual([
      { type: 'thinking', text: 'Part one. Part two.', signature: 'gemini:U0lH' },
      { type: 'text', text: 'Answer' },
      { type: 'text', text: '', signature: 'TEFTVA==' },
    ]);
    expect(canonical.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
  });

  it.each([
    ['STOP', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['BLOCKLIST', 'content_filter'],
    ['PROHIBITED_CONTENT', 'content_filter'],
    ['SPII', 'content_filter'],
    ['MALFORMED_FUNCTION_CALL', 'error'],
    ['OTHER', 'stop'],
    [undefined, 'stop'],
  ])('maps finishReason %s to %s', (finishReason, stopReason) => {
    const canonical = geminiFormat.fromUpstream({ candidates: [{ content: { role: 'model', parts: [{ text: 'x' }] }, finishReason }] });
    expect(canonical.choices[0].stopReason).toBe(stopReason);
  });

  it('reads several candidates, a blocked prompt, and the input Google counts besides the prompt', () => {
    const two = geminiFormat.fromUpstream({
      candidates: [
        { content: { role: 'model', parts: [{ text: 'A' }] }, finishReason: 'STOP', index: 0 },
        { content: { role: 'model', parts: [{ text: 'B' }] }, finishReason: 'MAX_TOKENS', index: 1 },
      ],
      usageMetadata: { promptTokenCount: 100, toolUsePromptTokenCount: 20, cachedContentTokenCount: 64, candidatesTokenCount: 10 },
    });
    expect(two.choices.map((c) => [c.index, c.stopReason])).toEqual([
      [0, 'stop'],
      [1, 'length'],
    ]);
    expect(two.usage).toEqual({ inputTokens: 120, outputTokens: 10, cachedInputTokens: 64 });

    const blocked = geminiFormat.fromUpstream(
      { promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 } },
      { upstreamModel: 'gemini-2.5-flash' },
    );
    expect(blocked).toEqual({
      id: '',
      model: 'gemini-2.5-flash',
      choices: [{ index: 0, content: [], stopReason: 'content_filter' }],
      usage: { inputTokens: 8, outputTokens: 0 },
    });
  });
});
