// Gemini authenticates with an API key in the `x-goog-api-key` header or the `key` query parameter.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { GeminiError } from './gemini-error';

export function assertGeminiApiKey(headers: IncomingHttpHeaders, url: URL, expectedKey: string): void {
  const header = headers['x-goog-api-key'];
  const key = (Array.isArray(header) ? header[0] : header)?.trim() || url.searchParams.get('key')?.trim();
  if (!key) throw headers.authorization ? GeminiError.unauthenticated() : GeminiError.missingApiKey();
  const given = Buffer.from(key);
  const expected = Buffer.from(expectedKey);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw GeminiError.invalidApiKey();
}
