import { composeReply, composeThinking, countTokens, idFrom, seedFrom, splitTokens, subjectOf, truncateReply, wordFor } from './deterministic-text';

describe('deterministic text', () => {
  it('splits text into pieces that concatenate back to it, whitespace included', () => {
    const text = '  Hello,\n wonderful   world! 🎉🎉🎉🎉🎉🎉🎉🎉🎉 supercalifragilistic  ';
    const pieces = splitTokens(text);
    expect(pieces.join('')).toBe(text);
    expect(pieces.slice(0, 3)).toEqual(['  Hello,', '\n wonderfu', 'l']);
    // No piece may split a surrogate pair: every piece must be well-formed UTF-16.
    for (const piece of pieces) expect(piece).toBe(Buffer.from(piece, 'utf8').toString('utf8'));
    expect(countTokens('')).toBe(0);
  });

  it('composes the same reply for the same seed and a different one for another seed', () => {
    const a = composeReply('What is the capital of France?', seedFrom(['x']));
    expect(a).toBe(composeReply('What is the capital of France?', seedFrom(['x'])));
    expect(a).toMatch(/^Sandbox reply to "What is the capital of France\?": [a-z ]+\.$/);
    expect(composeReply('What is the capital of France?', seedFrom(['y']))).not.toBe(a);
  });

  it('quotes at most 40 characters of the subject, whitespace collapsed', () => {
    expect(subjectOf('a\n\nb  c')).toBe('a b c');
    expect(subjectOf('x'.repeat(100))).toHaveLength(40);
  });

  it('cuts at the earliest stop sequence, excluding it, with reason stop', () => {
    const result = truncateReply('one two three four', { stop: ['four', ' two'] });
    expect(result).toEqual({ text: 'one', pieces: ['one'], reason: 'stop', stopSequence: ' two' });
  });

  it('cuts at maxTokens pieces with reason length, unless a stop sequence comes first', () => {
    expect(truncateReply('one two three four', { maxTokens: 2 })).toEqual({
      text: 'one two',
      pieces: ['one', ' two'],
      reason: 'length',
      stopSequence: null,
    });
    expect(truncateReply('one two three four', { maxTokens: 2, stop: [' two'] }).reason).toBe('stop');
    expect(truncateReply('one two', { maxTokens: 2 }).reason).toBe('stop');
  });

  it('keeps whitespace left before a stop sequence as its own piece, so streamed text equals the content', () => {
    const result = truncateReply('one two', { stop: ['two'] });
    expect(result.text).toBe('one ');
    expect(result.pieces.join('')).toBe('one ');
  });
});

describe('deterministic text for tools and thinking', () => {
  it('puts a lead sentence between the quote and the filler words', () => {
    const seed = seedFrom(['lead']);
    const plain = composeReply('Look', seed);
    expect(composeReply('Look', seed, 'I see 1 image (image/png).')).toBe(plain.replace('": ', '": I see 1 image (image/png). '));
  });

  it('thinks deterministically, differently from the reply', () => {
    const seed = seedFrom(['think']);
    expect(composeThinking('Why?', seed)).toBe(composeThinking('Why?', seed));
    expect(composeThinking('Why?', seed)).toMatch(/^Sandbox thinking about "Why\?": [a-z ]+\.$/);
  });

  it('makes ids and words from hashes', () => {
    expect(idFrom(24, 'a', 1)).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(idFrom(24, 'a', 1)).toBe(idFrom(24, 'a', 1));
    expect(idFrom(24, 'a', 2)).not.toBe(idFrom(24, 'a', 1));
    expect(wordFor('tool', 'city')).toMatch(/^[a-z]+$/);
  });
});
