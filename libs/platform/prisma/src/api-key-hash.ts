// API keys are stored only as a SHA-256 hex digest: a database leak then reveals no usable key. A plain (unsalted)
// digest is enough because the keys carry 288 random bits, and it lets the gateway find a key with one indexed lookup.
import { createHash } from 'node:crypto';

/** Characters of a key a dashboard may show: "sk-atm-" plus five random ones, too few to guess the rest. */
export const API_KEY_DISPLAY_PREFIX_LENGTH = 12;

export function hashApiKey(key: string): string {
  if (key.length === 0) throw new RangeError('hashApiKey: the key is empty');
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function apiKeyDisplayPrefix(key: string): string {
  // A "prefix" as long as the key would be the key itself.
  if (key.length <= API_KEY_DISPLAY_PREFIX_LENGTH) {
    throw new RangeError(`apiKeyDisplayPrefix: a key must be longer than ${API_KEY_DISPLAY_PREFIX_LENGTH} characters`);
  }
  return key.slice(0, API_KEY_DISPLAY_PREFIX_LENGTH);
}
