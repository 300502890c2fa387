import { GatewayError } from '@apitopmix/platform/errors';
import { toGeminiError } from './gemini-errors';
import { normaliseFieldNames, parseGeminiRequest } from './gemini.request';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const hello = { contents: [{ role: 'user', parts: [{ text: 'Hello!' }] }] };

/** Every parameter of the spec's "Supported Parameters" table, set to a valid value. */
const everySupportedParameter = {
  systemInstruction: { parts: [{ text: 'You are a helpful assistant.' }] },
  contents: [
    { role: 'user', parts: [{ text: 'What is in this picture?' }, { inlineData: { mimeType: 'image/png', data: PNG } }] },
    { role: 'model', parts: [{ text: 'A single pixel.' }] },
    { role: 'user', parts: [{ text: 'And the weather in Paris?' }] },
  ],
  generationConfig: {
    temperature: 0.7,
    topP: 0.9,
    topK: 40,
    maxOutputTokens: 200,
    stopSequences: ['END'],
    seed: 42,
    presencePenalty: 0.5,
    frequencyPenalty: -0.5,
    thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
  },
  safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }],
  tools: [
    {
      functionDeclarations: [{ name: 'get_weather', description: 'Weather by city', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } } } }],
    },
  ],
  toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } },
};

function errorOf(body: unknown): GatewayError {
  try {
    parseGeminiRequest(body);
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected a validation error');
}

const withConfig = (generationConfig: Record<string, unknown>) => ({ ...hello, generationConfig });
const withPart = (part: Record<string, unknown>) => ({ contents: [{ role: 'user', parts: [part] }] });

describe('parseGeminiRequest', () => {
  it("accepts the spec's cURL example", () => {
    const body = {
      systemInstruction: { parts: [{ text: 'You are a helpful assistant.' }] },
      contents: [{ role: 'user', parts: [{ text: 'Hello!' }] }],
      generationConfig: { temperature: 0.7, maxOutputTokens: 200 },
    };
    expect(parseGeminiRequest(body)).toEqual(body);
  });

  it('accepts every parameter of the Supported Parameters table, and keeps fields it does not know', () => {
    const body = { ...everySupportedParameter, cachedContent: 'cachedContents/abc', someFutureField: { a: 1 } };
    expect(parseGeminiRequest(body)).toEqual(body);
  });

  it.each([
    ['thinkingBudget -1 (dynamic)', { thinkingConfig: { thinkingBudget: -1 } }],
    ['thinkingBudget 0 (off)', { thinkingConfig: { thinkingBudget: 0 } }],
    ['thinkingLevel in lower case', { thinkingConfig: { thinkingLevel: 'low', includeThoughts: true } }],
    ['thinkingLevel in upper case', { thinkingConfig: { thinkingLevel: 'HIGH' } }],
    ['the range ends', { temperature: 0, topP: 1, presencePenalty: -2, frequencyPenalty: 2, candidateCount: 8, topK: 1, maxOutputTokens: 1 }],
    ['five stop sequences', { stopSequences: ['a', 'b', 'c', 'd', 'e'] }],
    ['a JSON response schema', { responseMimeType: 'application/json', responseJsonSchema: { type: 'object' } }],
    ['an OpenAPI response schema', { responseMimeType: 'application/json', responseSchema: { type: 'OBJECT' } }],
  ])('accepts generationConfig with %s', (_label, config) => {
    expect(parseGeminiRequest(withConfig(config)).generationConfig).toEqual(config);
  });

  it('accepts a model content with a signed function call and a user content with its response', () => {
    const body = {
      contents: [
        { role: 'user', parts: [{ text: 'Weather?' }] },
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'c2lnMQ==' }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 21 } } }] },
      ],
    };
    expect(parseGeminiRequest(body)).toEqual(body);
  });

  it('accepts a part that is only a thought signature, and a content without a role (a user content)', () => {
    const body = { contents: [{ parts: [{ text: 'hi' }] }, { role: 'model', parts: [{ text: 'yo' }, { thoughtSignature: 'c2ln' }] }] };
    expect(parseGeminiRequest(body)).toEqual(body);
  });

  it('accepts systemInstruction given as a bare list of parts, as one Content', () => {
    expect(parseGeminiRequest({ ...hello, systemInstruction: [{ text: 'Be brief.' }] }).systemInstruction).toEqual({ parts: [{ text: 'Be brief.' }] });
  });

  it('reads snake_case field names as camelCase, but leaves the keys of the caller’s own data alone', () => {
    const parsed = parseGeminiRequest({
      system_instruction: { parts: [{ text: 'sys' }] },
      contents: [
        {
          role: 'user',
          parts: [{ inline_data: { mime_type: 'image/png', data: PNG } }, { file_data: { mime_type: 'image/jpeg', file_uri: 'https://x/y.jpg' } }],
        },
        { role: 'model', parts: [{ function_call: { name: 'f', args: { snake_arg: 1 } }, thought_signature: 'c2ln' }] },
        { role: 'user', parts: [{ function_response: { name: 'f', response: { snake_result: true } } }] },
      ],
      generation_config: {
        max_output_tokens: 10,
        top_p: 0.5,
        top_k: 3,
        stop_sequences: ['x'],
        presence_penalty: 1,
        frequency_penalty: 1,
        candidate_count: 2,
        response_mime_type: 'application/json',
        response_json_schema: { type: 'object', properties: { snake_case_prop: { type: 'string' } } },
        thinking_config: { thinking_budget: 512, include_thoughts: true },
      },
      safety_settings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_NONE' }],
      tools: [{ function_declarations: [{ name: 'f', parameters_json_schema: { type: 'object', properties: { some_arg: { type: 'string' } } } }] }],
      tool_config: { function_calling_config: { mode: 'ANY', allowed_function_names: ['f'] } },
    });

    expect(parsed).toEqual({
      systemInstruction: { parts: [{ text: 'sys' }] },
      contents: [
        { role: 'user', parts: [{ inlineData: { mimeType: 'image/png', data: PNG } }, { fileData: { mimeType: 'image/jpeg', fileUri: 'https://x/y.jpg' } }] },
        { role: 'model', parts: [{ functionCall: { name: 'f', args: { snake_arg: 1 } }, thoughtSignature: 'c2ln' }] },
        { role: 'user', parts: [{ functionResponse: { name: 'f', response: { snake_result: true } } }] },
      ],
      generationConfig: {
        maxOutputTokens: 10,
        topP: 0.5,
        topK: 3,
        stopSequences: ['x'],
        presencePenalty: 1,
        frequencyPenalty: 1,
        candidateCount: 2,
        responseMimeType: 'application/json',
        responseJsonSchema: { type: 'object', properties: { snake_case_prop: { type: 'string' } } },
        thinkingConfig: { thinkingBudget: 512, includeThoughts: true },
      },
      safetySettings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_NONE' }],
      tools: [{ functionDeclarations: [{ name: 'f', parametersJsonSchema: { type: 'object', properties: { some_arg: { type: 'string' } } } }] }],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] } },
    });
  });

  it('names snake_case fields at fault by their camelCase path', () => {
    const error = errorOf({ ...hello, generation_config: { max_output_tokens: 0 } });
    expect(error.param).toBe('generationConfig.maxOutputTokens');
    expect(error.message).toBe("Invalid value at 'generationConfig.maxOutputTokens': must be at least 1.");
  });

  it.each([
    // contents
    [{}, 'contents', /Missing required field: 'contents'/],
    [{ contents: [] }, 'contents', /at least 1 item/],
    [{ contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] }, 'contents[0].role', /one of 'user', 'model'/],
    [{ contents: [{ role: 'user' }] }, 'contents[0].parts', /Missing required field/],
    [{ contents: [{ role: 'user', parts: [] }] }, 'contents[0].parts', /at least 1 item/],
    [withPart({ text: 5 }), 'contents[0].parts[0].text', /expected string/],
    [withPart({ text: 'a', inlineData: { mimeType: 'image/png', data: PNG } }), 'contents[0].parts[0].inlineData', /only one of text, inlineData/],
    [withPart({ thought: 'yes', text: 'a' }), 'contents[0].parts[0].thought', /expected boolean/],
    // inlineData (images)
    [withPart({ inlineData: { data: PNG } }), 'contents[0].parts[0].inlineData.mimeType', /Missing required field/],
    [withPart({ inlineData: { mimeType: 'image/png', data: 'not base64!' } }), 'contents[0].parts[0].inlineData.data', /base64/],
    [withPart({ fileData: { mimeType: 'image/png' } }), 'contents[0].parts[0].fileData.fileUri', /Missing required field/],
    // function calling in contents
    [{ contents: [{ role: 'model', parts: [{ functionCall: { args: {} } }] }] }, 'contents[0].parts[0].functionCall.name', /Missing required field/],
    [{ contents: [{ role: 'model', parts: [{ functionCall: { name: 'f', args: [1] } }] }] }, 'contents[0].parts[0].functionCall.args', /expected object/],
    [withPart({ functionResponse: { name: 'f' } }), 'contents[0].parts[0].functionResponse.response', /Missing required field/],
    // systemInstruction
    [{ ...hello, systemInstruction: 'Be brief.' }, 'systemInstruction', /expected object/],
    [{ ...hello, systemInstruction: { parts: [] } }, 'systemInstruction.parts', /at least 1 item/],
    // generationConfig
    [withConfig({ temperature: 2.1 }), 'generationConfig.temperature', /'generationConfig.temperature': must be at most 2/],
    [withConfig({ temperature: -0.1 }), 'generationConfig.temperature', /at least 0/],
    [withConfig({ temperature: 'hot' }), 'generationConfig.temperature', /expected number/],
    [withConfig({ topP: 1.01 }), 'generationConfig.topP', /at most 1/],
    [withConfig({ topP: -0.1 }), 'generationConfig.topP', /at least 0/],
    [withConfig({ topK: 0 }), 'generationConfig.topK', /at least 1/],
    [withConfig({ topK: 1.5 }), 'generationConfig.topK', /expected int/],
    [withConfig({ maxOutputTokens: 0 }), 'generationConfig.maxOutputTokens', /at least 1/],
    [withConfig({ maxOutputTokens: 10.5 }), 'generationConfig.maxOutputTokens', /expected int/],
    [withConfig({ stopSequences: ['a', 'b', 'c', 'd', 'e', 'f'] }), 'generationConfig.stopSequences', /at most 5 item/],
    [withConfig({ stopSequences: 'END' }), 'generationConfig.stopSequences', /expected array/],
    [withConfig({ candidateCount: 9 }), 'generationConfig.candidateCount', /at most 8/],
    [withConfig({ candidateCount: 0 }), 'generationConfig.candidateCount', /at least 1/],
    [withConfig({ seed: 1.5 }), 'generationConfig.seed', /expected int/],
    [withConfig({ presencePenalty: 2.5 }), 'generationConfig.presencePenalty', /at most 2/],
    [withConfig({ presencePenalty: -2.5 }), 'generationConfig.presencePenalty', /at least -2/],
    [withConfig({ frequencyPenalty: 3 }), 'generationConfig.frequencyPenalty', /at most 2/],
    [withConfig({ frequencyPenalty: -3 }), 'generationConfig.frequencyPenalty', /at least -2/],
    [withConfig({ responseJsonSchema: { type: 'object' } }), 'generationConfig.responseMimeType', /'application\/json'/],
    [
      withConfig({ responseMimeType: 'application/json', responseSchema: { type: 'OBJECT' }, responseJsonSchema: { type: 'object' } }),
      'generationConfig.responseJsonSchema',
      /cannot both be set/,
    ],
    // generationConfig.thinkingConfig
    [withConfig({ thinkingConfig: { thinkingBudget: -2 } }), 'generationConfig.thinkingConfig.thinkingBudget', /at least -1/],
    [withConfig({ thinkingConfig: { thinkingBudget: 100.5 } }), 'generationConfig.thinkingConfig.thinkingBudget', /expected int/],
    [withConfig({ thinkingConfig: { includeThoughts: 'yes' } }), 'generationConfig.thinkingConfig.includeThoughts', /expected boolean/],
    [withConfig({ thinkingConfig: { thinkingLevel: 'extreme' } }), 'generationConfig.thinkingConfig.thinkingLevel', /one of 'minimal', 'low'/],
    [withConfig({ thinkingConfig: { thinkingBudget: 1024, thinkingLevel: 'low' } }), 'generationConfig.thinkingConfig.thinkingLevel', /cannot both be set/],
    // safetySettings
    [{ ...hello, safetySettings: [{ category: 'VIOLENCE', threshold: 'BLOCK_NONE' }] }, 'safetySettings[0].category', /HarmCategory/],
    [{ ...hello, safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_SOME' }] }, 'safetySettings[0].threshold', /one of 'HARM_BLOCK_/],
    [{ ...hello, safetySettings: [{ threshold: 'BLOCK_NONE' }] }, 'safetySettings[0].category', /Missing required field/],
    [{ ...hello, safetySettings: { category: 'HARM_CATEGORY_HARASSMENT' } }, 'safetySettings', /expected array/],
    // tools (function calling)
    [{ ...hello, tools: [{ functionDeclarations: [{ name: '1bad name' }] }] }, 'tools[0].functionDeclarations[0].name', /must start with a letter/],
    [{ ...hello, tools: [{ functionDeclarations: [{ description: 'x' }] }] }, 'tools[0].functionDeclarations[0].name', /Missing required field/],
    [{ ...hello, tools: [{ functionDeclarations: [{ name: 'f', parameters: 'object' }] }] }, 'tools[0].functionDeclarations[0].parameters', /expected object/],
    [
      { ...hello, tools: [{ functionDeclarations: [{ name: 'f', parameters: {}, parametersJsonSchema: {} }] }] },
      'tools[0].functionDeclarations[0].parametersJsonSchema',
      /cannot both be set/,
    ],
    [{ ...hello, toolConfig: { functionCallingConfig: { mode: 'SOMETIMES' } } }, 'toolConfig.functionCallingConfig.mode', /one of 'MODE_UNSPECIFIED'/],
    [
      { ...hello, toolConfig: { functionCallingConfig: { mode: 'AUTO', allowedFunctionNames: ['f'] } } },
      'toolConfig.functionCallingConfig.allowedFunctionNames',
      /only when mode is ANY or VALIDATED/,
    ],
  ])('rejects %j naming %s', (body, param, message) => {
    const error = errorOf(body);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message).toContain(`'${param}'`);
    expect(error.message).toMatch(message);
  });

  it('renders a validation error in Google’s shape, naming the field', () => {
    const { status, body } = toGeminiError(errorOf(withConfig({ temperature: 3 })));
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message: "Invalid value at 'generationConfig.temperature': must be at most 2." });
    expect(body.error.details).toContainEqual({
      '@type': 'type.googleapis.com/google.rpc.BadRequest',
      fieldViolations: [{ field: 'generationConfig.temperature', description: body.error.message }],
    });
  });

  it('rejects bodies that are not JSON objects', () => {
    expect(errorOf([1, 2]).message).toMatch(/JSON object/);
    expect(errorOf(null).message).toMatch(/JSON object/);
    expect(errorOf('contents').message).toMatch(/JSON object/);
  });

  it('rejects a field given in both spellings', () => {
    const error = errorOf({ ...hello, generationConfig: { temperature: 1 }, generation_config: { temperature: 0 } });
    expect(error).toMatchObject({ status: 400, param: 'generationConfig' });
  });
});

describe('normaliseFieldNames', () => {
  it('renames nested keys and leaves schemas, arguments, results and labels as they are', () => {
    expect(
      normaliseFieldNames({
        generation_config: { response_schema: { max_items: '2', property_ordering: ['a'] } },
        labels: { team_name: 'x' },
        contents: [{ parts: [{ function_call: { name: 'f', args: { a_b: 1 } } }] }],
      }),
    ).toEqual({
      generationConfig: { responseSchema: { max_items: '2', property_ordering: ['a'] } },
      labels: { team_name: 'x' },
      contents: [{ parts: [{ functionCall: { name: 'f', args: { a_b: 1 } } }] }],
    });
  });
});
