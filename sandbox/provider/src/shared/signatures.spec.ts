import {
  canonicalJson,
  functionCallSignature,
  isValidFunctionCallSignature,
  isValidRedactedThinkingData,
  isValidThinkingSignature,
  redactedThinkingData,
  thinkingSignature,
} from './signatures';

describe('reasoning signatures', () => {
  it('are deterministic and bound to the exact thinking text', () => {
    const signature = thinkingSignature('Let me think.');
    expect(thinkingSignature('Let me think.')).toBe(signature);
    expect(isValidThinkingSignature('Let me think.', signature)).toBe(true);
    expect(isValidThinkingSignature('Let me think. ', signature)).toBe(false);
    expect(isValidThinkingSignature('Let me think.', `${signature}A`)).toBe(false);
    expect(isValidThinkingSignature('Let me think.', '')).toBe(false);
  });

  it('bind function calls to name and arguments, whatever the key order', () => {
    const signature = functionCallSignature('get_weather', { a: 1, b: { c: 2, d: 3 } });
    expect(isValidFunctionCallSignature('get_weather', { b: { d: 3, c: 2 }, a: 1 }, signature)).toBe(true);
    expect(isValidFunctionCallSignature('get_weather', { a: 2, b: { c: 2, d: 3 } }, signature)).toBe(false);
    expect(isValidFunctionCallSignature('get_time', { a: 1, b: { c: 2, d: 3 } }, signature)).toBe(false);
    expect(isValidFunctionCallSignature('f', undefined, functionCallSignature('f', {}))).toBe(true);
    // An Anthropic thinking signature is no Gemini signature, even for the same text.
    expect(isValidThinkingSignature(canonicalJson({ name: 'f', args: {} }), functionCallSignature('f', {}))).toBe(false);
  });

  it('make redacted thinking data self-verifying', () => {
    const data = redactedThinkingData(42);
    expect(redactedThinkingData(42)).toBe(data);
    expect(isValidRedactedThinkingData(data)).toBe(true);
    const bytes = Buffer.from(data, 'base64');
    bytes[3] ^= 1;
    expect(isValidRedactedThinkingData(bytes.toString('base64'))).toBe(false);
    expect(isValidRedactedThinkingData('not base64 at all')).toBe(false);
  });
});
