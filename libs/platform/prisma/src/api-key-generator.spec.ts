import { API_KEY_PATTERN, generateApiKey } from './api-key-generator';

describe('generateApiKey', () => {
  it('is "sk-atm-" and 48 URL-safe characters carrying 36 random bytes', () => {
    const key = generateApiKey();
    expect(key).toMatch(API_KEY_PATTERN);
    expect(key).toHaveLength(55);
    expect(Buffer.from(key.slice(7), 'base64url')).toHaveLength(36);
  });

  it('does not repeat', () => {
    const keys = new Set(Array.from({ length: 1000 }, generateApiKey));
    expect(keys.size).toBe(1000);
  });
});
