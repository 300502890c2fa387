import { estimateTokens } from './token-estimate';

describe('estimateTokens', () => {
  it('counts o200k_base tokens, not characters', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('Hello, world!')).toBe(4);
    // One common word repeated is one token each, whatever its length.
    expect(estimateTokens(' internationalization'.repeat(10))).toBeLessThan((' internationalization'.length * 10) / 4);
  });

  it('counts text in other scripts', () => {
    expect(estimateTokens('量子计算是什么？')).toBeGreaterThan(2);
  });
});
