import { randomBytes } from 'node:crypto';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * An id in OpenAI's style (`chatcmpl-` and 29 letters or digits). The dialect mints its own whatever the upstream:
 * an upstream's id names the upstream, and the caller must not be able to tell which one served it.
 */
export function mintOpenAiId(prefix = 'chatcmpl-', length = 29): string {
  const bytes = randomBytes(length);
  let id = prefix;
  // 62 does not divide 256, so the first four letters are very slightly likelier: harmless for an id.
  for (const byte of bytes) id += alphabet[byte % alphabet.length];
  return id;
}

/** Unix seconds, as OpenAI's `created`. */
export const unixSeconds = (): number => Math.floor(Date.now() / 1000);
