import { ErrorCode } from '@apitopmix/platform/errors';
import { geminiPromptText, GeminiStreamTap } from './gemini-passthrough';

const chunks = [
  '{"candidates":[{"content":{"role":"model","parts":[{"text":"Hel"}]}}],"usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":1}}',
  '{"candidates":[{"content":{"role":"model","parts":[{"text":"lo"}]}}],"usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":2}}',
  '{"candidates":[{"content":{"role":"model","parts":[{"text":""}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":2,"thoughtsTokenCount":7}}',
];

describe('GeminiStreamTap', () => {
  it('forwards every chunk unchanged and takes the usage of the latest chunk (thinking counted as output)', () => {
    const tap = new GeminiStreamTap('google');
    expect(chunks.map((chunk) => tap.process(chunk))).toEqual(chunks);
    tap.end();
    expect(tap.usage).toEqual({ inputTokens: 12, outputTokens: 9 });
    expect(tap.usageFinal).toBe(true);
    expect(tap.contentChunks).toBe(2);
  });

  it('reports the running usage of a stream cut short, and fails it as ended early', () => {
    const tap = new GeminiStreamTap('google');
    tap.process(chunks[0]);
    expect(tap.usage).toEqual({ inputTokens: 12, outputTokens: 1 });
    expect(tap.usageFinal).toBe(false);
    expect(() => tap.end()).toThrow(expect.objectContaining({ code: ErrorCode.UpstreamUnavailable }));
  });

  it('has no usage when Google sent none', () => {
    const tap = new GeminiStreamTap('google');
    tap.process('{"candidates":[{"content":{"parts":[{"text":"x"}]},"finishReason":"STOP"}]}');
    expect(tap.usage).toBeUndefined();
  });
});

describe('geminiPromptText', () => {
  it('reads the system instruction and the contents, in either spelling', () => {
    expect(geminiPromptText({ systemInstruction: { parts: [{ text: 'Be brief.' }] }, contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] })).toBe(
      'Be brief.\nHi',
    );
    expect(geminiPromptText({ system_instruction: { parts: [{ text: 'S' }] }, contents: [{ parts: [{ inline_data: {} }, { text: 'Q' }] }] })).toBe('S\nQ');
  });
});
