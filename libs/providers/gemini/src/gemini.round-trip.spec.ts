/**
 * Gemini → canonical → Gemini: the Gemini dialect and this adapter together must keep what a Gemini caller sends
 * and what Google answers. The two libraries may not depend on each other; only this spec joins them.
 */
// eslint-disable-next-line @nx/enforce-module-boundaries -- test-only: checks the dialect and this adapter against each other
import * as dialect from '@apitopmix/dialects/gemini';
import type { CanonicalStreamEvent } from '@apitopmix/contracts';
import { geminiFormat, GeminiUpstreamContext } from './gemini.chat';
import { FOREIGN_THOUGHT_SIGNATURE_PREFIXES, GEMINI_THOUGHT_SIGNATURE_PREFIX } from './gemini.signatures';
import type { GeminiGenerateContentResponse } from './gemini.types';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const context: GeminiUpstreamContext = { upstreamModel: 'gemini-2.5-flash', maxOutputTokens: 65_536, thinking: { mode: 'optional' } };

/** A caller's body through the dialect (validation, canonical) and out of this adapter, as sent to Google. */
const throughGateway = (body: unknown, upstream: GeminiUpstreamContext = context) =>
  geminiFormat.toUpstream(dialect.geminiToCanonical({ model: 'gemini-2.5-flash', stream: false, body: dialect.parseGeminiRequest(body) }), upstream);

/** Google's answer through this adapter (canonical) and out of the dialect, as the caller gets it. */
const backToCaller = (response: GeminiGenerateContentResponse, includeThoughts = true) =>
  dialect.geminiFromCanonical(geminiFormat.fromUpstream(response), { model: 'gemini-2.5-flash', includeThoughts, responseId: response.responseId });

describe('Gemini → canonical → Gemini', () => {
  it('keeps every parameter of the spec’s Supported Parameters table', () => {
    const body = {
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
      safetySettings: [
        { category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' },
        { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', threshold: 'OFF' },
      ],
      tools: [
        {
          functionDeclarations: [
            { name: 'get_weather', description: 'Weather by city', parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } } } },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } },
    };
    expect(throughGateway(body)).toEqual(body);
  });

  it.each([
    ['off', { thinkingBudget: 0 }],
    ['dynamic with thoughts', { thinkingBudget: -1, includeThoughts: true }],
    ['a level (Gemini 3)', { thinkingLevel: 'high', includeThoughts: false }],
  ])('keeps thinkingConfig %s', (_label, thinkingConfig) => {
    expect(throughGateway({ contents: [{ role: 'user', parts: [{ text: 'x' }] }], generationConfig: { thinkingConfig } }).generationConfig).toEqual({
      thinkingConfig,
    });
  });

  it('sends snake_case input to Google in camelCase, the caller’s own data untouched', () => {
    const sent = throughGateway({
      contents: [{ role: 'user', parts: [{ text: 'x' }, { inline_data: { mime_type: 'image/jpeg', data: '/9j/4AAQ' } }] }],
      generation_config: { max_output_tokens: 50, stop_sequences: ['a'], thinking_config: { thinking_budget: 256, include_thoughts: true } },
      safety_settings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_NONE' }],
      tools: [{ function_declarations: [{ name: 'f', parameters_json_schema: { type: 'object', properties: { some_arg: { type: 'string' } } } }] }],
      tool_config: { function_calling_config: { mode: 'NONE' } },
    });
    expect(sent).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'x' }, { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } }] }],
      generationConfig: { maxOutputTokens: 50, stopSequences: ['a'], thinkingConfig: { thinkingBudget: 256, includeThoughts: true } },
      safetySettings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_NONE' }],
      tools: [{ functionDeclarations: [{ name: 'f', parametersJsonSchema: { type: 'object', properties: { some_arg: { type: 'string' } } } }] }],
      toolConfig: { functionCallingConfig: { mode: 'NONE' } },
    });
  });

  it('keeps the thought signatures of a function-calling conversation where Google put them', () => {
    const body = {
      contents: [
        { role: 'user', parts: [{ text: 'Check flight AA100 and book a taxi if delayed.' }] },
        {
          role: 'model',
          parts: [
            { text: 'Checking the flight.', thought: true, thoughtSignature: 'VEhPVUdIVA==' },
            { functionCall: { name: 'check_flight', args: { flight: 'AA100' } }, thoughtSignature: 'PFNpZ25hdHVyZV9BPg==' },
          ],
        },
        { role: 'user', parts: [{ functionResponse: { name: 'check_flight', response: { status: 'delayed' } } }] },
        { role: 'model', parts: [{ functionCall: { name: 'book_taxi', args: { time: '10 AM' } }, thoughtSignature: 'PFNpZ25hdHVyZV9CPg==' }] },
        { role: 'user', parts: [{ functionResponse: { name: 'book_taxi', response: { booking: 'confirmed' } } }] },
      ],
    };

    const sent = throughGateway(body, { upstreamModel: 'gemini-3-pro-preview' });

    // Gemini omitted the call ids; the gateway's (call_0, call_1) pair each result with its call.
    expect(sent.contents).toEqual([
      body.contents[0],
      {
        role: 'model',
        parts: [
          { text: 'Checking the flight.', thought: true, thoughtSignature: 'VEhPVUdIVA==' },
          { functionCall: { id: 'call_0', name: 'check_flight', args: { flight: 'AA100' } }, thoughtSignature: 'PFNpZ25hdHVyZV9BPg==' },
        ],
      },
      { role: 'user', parts: [{ functionResponse: { id: 'call_0', name: 'check_flight', response: { status: 'delayed' } } }] },
      { role: 'model', parts: [{ functionCall: { id: 'call_1', name: 'book_taxi', args: { time: '10 AM' } }, thoughtSignature: 'PFNpZ25hdHVyZV9CPg==' }] },
      { role: 'user', parts: [{ functionResponse: { id: 'call_1', name: 'book_taxi', response: { booking: 'confirmed' } } }] },
    ]);
  });

  it('gives the caller Google’s answer as Google gave it: thoughts, signatures, calls, finish and usage', () => {
    const google: GeminiGenerateContentResponse = {
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { text: 'Thinking about flights.', thought: true, thoughtSignature: 'VEhPVUdIVA==' },
              { text: 'Let me check.' },
              { functionCall: { id: 'fc-1', name: 'check_flight', args: { flight: 'AA100' } }, thoughtSignature: 'PFNpZ25hdHVyZV9BPg==' },
            ],
          },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: { promptTokenCount: 40, candidatesTokenCount: 12, thoughtsTokenCount: 100, totalTokenCount: 152 },
      modelVersion: 'gemini-2.5-flash',
      responseId: 'resp-9',
    };
    expect(backToCaller(google)).toEqual(google);
  });

  it('streams Google’s chunks to the caller as Google streamed them (signatures and calls included)', () => {
    const chunks = [
      { candidates: [{ content: { role: 'model', parts: [{ text: 'Hmm', thought: true }] }, index: 0 }] },
      { candidates: [{ content: { role: 'model', parts: [{ text: 'The answer' }] }, index: 0 }] },
      { candidates: [{ content: { role: 'model', parts: [{ functionCall: { id: 'c', name: 'f', args: { a: 1 } }, thoughtSignature: 'U0lH' }] }, index: 0 }] },
      {
        candidates: [{ content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'STOP', index: 0 }],
        usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 7, totalTokenCount: 12 },
      },
    ];
    const parser = geminiFormat.streamParser();
    const events: CanonicalStreamEvent[] = [...chunks.flatMap((chunk) => parser.push({ data: JSON.stringify(chunk) })), ...parser.end()];
    const renderer = new dialect.GeminiSseStreamRenderer({ model: 'gemini-2.5-flash', includeThoughts: true, responseId: 'r' });
    const frames = [...events.flatMap((event) => renderer.render(event)), ...renderer.end()];

    expect(frames.map((f) => JSON.parse(f.slice(6)))).toEqual(chunks.map((chunk) => ({ ...chunk, modelVersion: 'gemini-2.5-flash', responseId: 'r' })));
  });

  it('carries another vendor’s thinking to a Gemini caller and back, and never sends it to Google', () => {
    const claude = dialect.geminiFromCanonical(
      {
        id: 'msg_1',
        model: 'claude-sonnet-4-6',
        choices: [
          {
            index: 0,
            stopReason: 'stop',
            content: [
              { type: 'thinking', text: 'Claude reasons.', signature: 'ErUBCkYIBRgCIkD' },
              { type: 'text', text: 'Answer.' },
            ],
          },
        ],
        usage: { inputTokens: 1, outputTokens: 1 },
      },
      { model: 'claude-sonnet-4-6', includeThoughts: true },
    );
    const history = { contents: [{ role: 'user', parts: [{ text: 'Why?' }] }, claude.candidates[0].content, { role: 'user', parts: [{ text: 'And?' }] }] };

    const canonical = dialect.geminiToCanonical({ model: 'claude-sonnet-4-6', stream: false, body: dialect.parseGeminiRequest(history) });
    expect(canonical.messages[1].content[0]).toEqual({ type: 'thinking', text: 'Claude reasons.', signature: 'ErUBCkYIBRgCIkD' });
    expect(geminiFormat.toUpstream(canonical, context).contents[1]).toEqual({ role: 'model', parts: [{ text: 'Answer.' }] });
  });

  it('uses the same signature prefixes as the dialect', () => {
    expect(GEMINI_THOUGHT_SIGNATURE_PREFIX).toBe(dialect.GEMINI_THOUGHT_SIGNATURE_PREFIX);
    expect(FOREIGN_THOUGHT_SIGNATURE_PREFIXES).toEqual([dialect.FOREIGN_THOUGHT_SIGNATURE_PREFIX, dialect.FOREIGN_REDACTED_THINKING_PREFIX]);
  });
});
