// New API keys: a fixed, greppable prefix (secret scanners can match "sk-atm-") and 36 random bytes, which base64url
// encodes to exactly 48 URL-safe characters with no padding.
import { randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'sk-atm-';
const RANDOM_BYTES = 36;

export const API_KEY_PATTERN = /^sk-atm-[A-Za-z0-9_-]{48}$/;

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(RANDOM_BYTES).toString('base64url');
}
