// OpenAI authenticates with `Authorization: Bearer <key>`; other wire formats bring their own scheme
// (Anthropic's x-api-key, Gemini's x-goog-api-key), which is why this check lives in the OpenAI module.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { OpenAiError } from './openai-error';

/** Throws the OpenAI 401 the real API returns: code null when no key is sent, `invalid_api_key` when it is wrong. */
export function assertOpenAiApiKey(headers: IncomingHttpHeaders, expectedKey: string): void {
  const match = /^Bearer\s+(.+)$/i.exec(headers.authorization?.trim() ?? '');
  if (!match) throw OpenAiError.missingApiKey();
  const key = match[1].trim();
  if (!sameSecret(key, expectedKey)) throw OpenAiError.incorrectApiKey(key);
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
