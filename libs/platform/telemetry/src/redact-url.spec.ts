import { redactQuery, redactUrl } from './redact-url';

describe('redactQuery', () => {
  it('keeps names and drops every value', () => {
    expect(redactQuery('key=AIzaSySecret&alt=sse')).toBe('key=REDACTED&alt=REDACTED');
    expect(redactQuery('flag&sig=abc')).toBe('flag&sig=REDACTED');
    expect(redactQuery('')).toBe('');
    expect(redactQuery(undefined)).toBeUndefined();
  });
});

describe('redactUrl', () => {
  it('redacts query values and credentials, keeps the rest', () => {
    expect(redactUrl('https://generativelanguage.googleapis.com/v1beta/models/gemini:generateContent?key=AIzaSySecret')).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini:generateContent?key=REDACTED',
    );
    expect(redactUrl('https://user:pass@example.com/a?b=c#frag')).toBe('https://REDACTED:REDACTED@example.com/a?b=REDACTED');
    expect(redactUrl('http://127.0.0.1:8090/v1/chat/completions')).toBe('http://127.0.0.1:8090/v1/chat/completions');
  });
});
