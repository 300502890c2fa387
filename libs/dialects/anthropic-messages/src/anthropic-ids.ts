import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * An id in Anthropic's form, `<prefix>_` + 24 base62 characters (`msg_…`, `toolu_…`). Uniform: bytes that would
 * bias the modulo are drawn again.
 */
export function mintAnthropicId(prefix: 'msg' | 'toolu', length = 24): string {
  let id = `${prefix}_`;
  while (id.length < prefix.length + 1 + length) {
    for (const byte of randomBytes(length)) {
      if (byte < 248 && id.length < prefix.length + 1 + length) id += ALPHABET[byte % 62];
    }
  }
  return id;
}
