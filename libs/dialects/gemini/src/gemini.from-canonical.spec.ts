import type { CanonicalChatResponse, CanonicalStopReason } from '@apitopmix/contracts';
import { geminiFromCanonical, mintResponseId } from './gemini.from-canonical';

const response = (overrides: Partial<CanonicalChatResponse> = {}): CanonicalChatResponse => ({
  id: 'upstream-id',
  model: 'claude-sonnet-4-6',
  choices: [{ index: 0, content: [{ type: 'text', text: 'Hello!' }], stopReason: 'stop' }],
  usage: { inputTokens: 10, outputTokens: 5 },
  ...overrides,
});

describe('geminiFromCanonical', () => {
  it('renders a GenerateContentResponse with the requested model as modelVersion and a minted responseId', () => {
    const rendered = geminiFromCanonical(response(), { model: 'gemini-3-pro-preview' });

    expect(rendered).toEqual({
      candidates: [{ content: { role: 'model', parts: [{ text: 'Hello!' }] }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
      modelVersion: 'gemini-3-pro-preview',
      responseId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
    });
    expect(rendered.responseId).not.toBe(geminiFromCanonical(response(), { model: 'm' }).responseId);
    expect(geminiFromCanonical(response(), { model: 'm', responseId: 'fixed' }).responseId).toBe('fixed');
    expect(mintResponseId()).toHaveLength(22);
  });

  it.each<[CanonicalStopReason, string]>([
    ['stop', 'STOP'],
    ['length', 'MAX_TOKENS'],
    ['tool_calls', 'STOP'],
    ['content_filter', 'SAFETY'],
    ['stop_sequence', 'STOP'],
    ['error', 'OTHER'],
  ])('maps stop reason %s to finishReason %s', (stopReason, finishReason) => {
    const rendered = geminiFromCanonical(response({ choices: [{ index: 0, content: [{ type: 'text', text: 'x' }], stopReason }] }), { model: 'm' });
    expect(rendered.candidates[0].finishReason).toBe(finishReason);
  });

  it('splits thinking out of the output count, and reports cached input', () => {
    const rendered = geminiFromCanonical(response({ usage: { inputTokens: 100, outputTokens: 80, reasoningTokens: 60, cachedInputTokens: 40 } }), {
      model: 'm',
    });
    expect(rendered.usageMetadata).toEqual({
      promptTokenCount: 100,
      candidatesTokenCount: 20,
      thoughtsTokenCount: 60,
      totalTokenCount: 180,
      cachedContentTokenCount: 40,
    });
  });

  it('renders function calls as functionCall parts with args objects, ids and signatures', () => {
    const rendered = geminiFromCanonical(
      response({
        choices: [
          {
            index: 0,
            stopReason: 'tool_calls',
            content: [
              { type: 'text', text: 'Checking.' },
              { type: 'tool_call', id: 'call_0', name: 'get_weather', arguments: '{"city":"Paris"}', signature: 'U0lHLTE=' },
              { type: 'tool_call', id: 'toolu_01', name: 'get_time', arguments: '' },
            ],
          },
        ],
      }),
      { model: 'm' },
    );
    expect(rendered.candidates[0]).toEqual({
      content: {
        role: 'model',
        parts: [
          { text: 'Checking.' },
          { functionCall: { id: 'call_0', name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'U0lHLTE=' },
          { functionCall: { id: 'toolu_01', name: 'get_time', args: {} } },
        ],
      },
      finishReason: 'STOP',
      index: 0,
    });
  });

  describe('thinking', () => {
    const thinking = response({
      choices: [
        {
          index: 0,
          stopReason: 'stop',
          content: [
            { type: 'thinking', text: 'Gemini thought', signature: 'gemini:R0VNLVNJRw==' },
            { type: 'thinking', text: 'Claude thought', signature: 'ErUBCkYIBRgCIkD' },
            { type: 'thinking', text: '', redacted: 'EmwKAhgBEgy' },
            { type: 'thinking', text: 'unsigned' },
            { type: 'text', text: 'Answer.', signature: 'VEVYVC1TSUc=' },
          ],
        },
      ],
    });

    it('shows thought parts only when includeThoughts, Gemini signatures as they are and others behind foreign:', () => {
      expect(geminiFromCanonical(thinking, { model: 'm', includeThoughts: true }).candidates[0].content?.parts).toEqual([
        { text: 'Gemini thought', thought: true, thoughtSignature: 'R0VNLVNJRw==' },
        { text: 'Claude thought', thought: true, thoughtSignature: 'foreign:ErUBCkYIBRgCIkD' },
        { text: '', thought: true, thoughtSignature: 'foreign-redacted:EmwKAhgBEgy' },
        { text: 'unsigned', thought: true },
        { text: 'Answer.', thoughtSignature: 'VEVYVC1TSUc=' },
      ]);
    });

    it('hides thinking by default (Gemini’s includeThoughts default), keeping text signatures', () => {
      expect(geminiFromCanonical(thinking, { model: 'm' }).candidates[0].content?.parts).toEqual([{ text: 'Answer.', thoughtSignature: 'VEVYVC1TSUc=' }]);
    });
  });

  it('gives an empty answer one empty text part, and renders every choice', () => {
    const rendered = geminiFromCanonical(
      response({
        choices: [
          { index: 0, content: [], stopReason: 'content_filter' },
          { index: 1, content: [{ type: 'image', mediaType: 'image/png', data: 'AAAA' }], stopReason: 'stop' },
        ],
      }),
      { model: 'm' },
    );
    expect(rendered.candidates).toEqual([
      { content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'SAFETY', index: 0 },
      { content: { role: 'model', parts: [{ inlineData: { mimeType: 'image/png', data: 'AAAA' } }] }, finishReason: 'STOP', index: 1 },
    ]);
  });
});
