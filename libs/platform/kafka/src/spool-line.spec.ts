import { encodeSpoolLine, parseSpoolSegment } from './spool-line';

describe('spool lines', () => {
  const a = { topic: 't', key: 'k1', value: '{"eventId":"a","text":"line one\\nline two"}', headers: { traceparent: '00-abc' } };
  const b = { topic: 't', key: 'k2', value: 'plain text with a\nnewline and ünïcödé' };

  it('one message per line, read back exactly (a newline inside a value stays inside its line)', () => {
    const text = encodeSpoolLine(a) + encodeSpoolLine(b);
    expect(text.split('\n')).toHaveLength(3);
    expect(parseSpoolSegment(text)).toEqual({ messages: [a, b], skipped: [] });
  });

  it('skips a torn last line (a write cut short) and keeps every whole line', () => {
    const whole = encodeSpoolLine(a) + encodeSpoolLine(b);
    const torn = encodeSpoolLine(a).slice(0, 17);
    expect(parseSpoolSegment(whole + torn)).toEqual({ messages: [a, b], skipped: [{ line: 3, reason: 'torn' }] });
  });

  it('skips corrupt lines anywhere (zeros after a power cut, a foreign shape) and keeps the rest', () => {
    const text =
      encodeSpoolLine(a) +
      '\0\0\0\0\n' +
      '{"topic":"t","key":1,"value":"x"}\n' +
      '{"topic":"t","key":"k","value":"x","headers":{"h":2}}\n' +
      encodeSpoolLine(b);
    expect(parseSpoolSegment(text)).toEqual({
      messages: [a, b],
      skipped: [
        { line: 2, reason: 'corrupt' },
        { line: 3, reason: 'corrupt' },
        { line: 4, reason: 'corrupt' },
      ],
    });
  });

  it('an empty file is an empty segment', () => {
    expect(parseSpoolSegment('')).toEqual({ messages: [], skipped: [] });
  });
});
