import { createHash } from 'node:crypto';
import { API_KEY_DISPLAY_PREFIX_LENGTH, apiKeyDisplayPrefix, hashApiKey } from './api-key-hash';

describe('hashApiKey', () => {
  it('is the hex SHA-256 of the key (FIPS 180-2 test vector)', () => {
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes the UTF-8 bytes of a realistic key to 64 lowercase hex characters', () => {
    const key = 'sk-atm-Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXhxdXV4cXV';
    const expected = createHash('sha256').update(Buffer.from(key, 'utf8')).digest('hex');
    expect(hashApiKey(key)).toBe(expected);
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('tells keys apart that differ in one character', () => {
    expect(hashApiKey('sk-atm-aaaa')).not.toBe(hashApiKey('sk-atm-aaab'));
  });

  it('refuses an empty key', () => {
    expect(() => hashApiKey('')).toThrow(RangeError);
  });
});

describe('apiKeyDisplayPrefix', () => {
  it('keeps the first 12 characters: the fixed prefix plus five random ones', () => {
    expect(API_KEY_DISPLAY_PREFIX_LENGTH).toBe(12);
    expect(apiKeyDisplayPrefix('sk-atm-AbCdEfGhIjKlMn')).toBe('sk-atm-AbCdE');
  });

  it('refuses a key so short that the prefix would be the whole key', () => {
    expect(() => apiKeyDisplayPrefix('sk-atm-AbCdE')).toThrow(RangeError);
    expect(() => apiKeyDisplayPrefix('short')).toThrow(RangeError);
  });
});
