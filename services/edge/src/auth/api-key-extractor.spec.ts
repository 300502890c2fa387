import type { IncomingHttpHeaders } from 'node:http';
import { extractApiKey } from './api-key-extractor';

const request = (headers: IncomingHttpHeaders = {}, query: unknown = {}) => ({ headers, query }) as Parameters<typeof extractApiKey>[0];

describe('extractApiKey', () => {
  describe('Authorization: Bearer (OpenAI SDK)', () => {
    it('reads the key', () => {
      expect(extractApiKey(request({ authorization: 'Bearer sk-atm-abc' }))).toBe('sk-atm-abc');
    });

    it.each(['bearer sk-atm-abc', 'BEARER sk-atm-abc', 'BeArEr sk-atm-abc'])('accepts the scheme in any case: %s', (value) => {
      expect(extractApiKey(request({ authorization: value }))).toBe('sk-atm-abc');
    });

    it.each(['  Bearer sk-atm-abc  ', 'Bearer     sk-atm-abc', 'Bearer\tsk-atm-abc \t', '\tBearer sk-atm-abc\n'])(
      'trims the whitespace around the key: %j',
      (value) => {
        expect(extractApiKey(request({ authorization: value }))).toBe('sk-atm-abc');
      },
    );

    it.each(['Bearer', 'Bearer ', 'Bearer    ', 'Bearersk-atm-abc', 'Basic dXNlcjpwYXNz', 'Token sk-atm-abc', 'sk-atm-abc', ''])(
      'finds no key in %j',
      (value) => {
        expect(extractApiKey(request({ authorization: value }))).toBeUndefined();
      },
    );
  });

  describe('x-api-key (Anthropic SDK)', () => {
    it('reads and trims the key', () => {
      expect(extractApiKey(request({ 'x-api-key': 'sk-atm-anthropic' }))).toBe('sk-atm-anthropic');
      expect(extractApiKey(request({ 'x-api-key': '  sk-atm-anthropic \t' }))).toBe('sk-atm-anthropic');
    });

    it('ignores a blank header', () => {
      expect(extractApiKey(request({ 'x-api-key': '   ' }))).toBeUndefined();
      expect(extractApiKey(request({ 'x-api-key': '' }))).toBeUndefined();
    });
  });

  describe('x-goog-api-key and ?key= (Google SDK)', () => {
    it('reads and trims x-goog-api-key', () => {
      expect(extractApiKey(request({ 'x-goog-api-key': ' sk-atm-google ' }))).toBe('sk-atm-google');
    });

    it('trims ?key= as it trims headers', () => {
      expect(extractApiKey(request({}, { key: ' sk-atm-query ' }))).toBe('sk-atm-query');
    });

    it('reads ?key=', () => {
      expect(extractApiKey(request({}, { key: 'sk-atm-query' }))).toBe('sk-atm-query');
    });

    it.each([
      ['an empty key', { key: '' }],
      ['a whitespace-only key', { key: '   ' }],
      ['a repeated key (an array)', { key: ['a', 'b'] }],
      ['an object', { key: { nested: 'x' } }],
      ['another parameter', { api_key: 'sk-atm-query' }],
      ['no query object', undefined],
    ])('finds no key in a query with %s', (_label, query) => {
      expect(extractApiKey(request({}, query))).toBeUndefined();
    });
  });

  describe('precedence', () => {
    const all = {
      authorization: 'Bearer from-bearer',
      'x-api-key': 'from-x-api-key',
      'x-goog-api-key': 'from-goog',
    };

    it('Bearer first, then x-api-key, then x-goog-api-key, then ?key=', () => {
      const query = { key: 'from-query' };
      expect(extractApiKey(request(all, query))).toBe('from-bearer');
      expect(extractApiKey(request({ ...all, authorization: undefined }, query))).toBe('from-x-api-key');
      expect(extractApiKey(request({ 'x-goog-api-key': 'from-goog' }, query))).toBe('from-goog');
      expect(extractApiKey(request({}, query))).toBe('from-query');
    });

    it('falls through an Authorization header that is not Bearer, or a blank header, to the next source', () => {
      expect(extractApiKey(request({ authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': 'from-x-api-key' }))).toBe('from-x-api-key');
      expect(extractApiKey(request({ authorization: 'Bearer ', 'x-goog-api-key': 'from-goog' }))).toBe('from-goog');
      expect(extractApiKey(request({ 'x-api-key': '  ', 'x-goog-api-key': 'from-goog' }))).toBe('from-goog');
      expect(extractApiKey(request({ 'x-goog-api-key': '' }, { key: 'from-query' }))).toBe('from-query');
    });
  });

  it('finds no key when none is sent', () => {
    expect(extractApiKey(request())).toBeUndefined();
    expect(extractApiKey(request({ 'content-type': 'application/json', cookie: 'key=not-this' }, {}))).toBeUndefined();
  });
});
