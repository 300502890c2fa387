import type { FastifyRequest } from 'fastify';

/**
 * The API key of a request, wherever its SDK puts it: `Authorization: Bearer` (OpenAI), `x-api-key` (Anthropic),
 * `x-goog-api-key` or `?key=` (Google).
 */
export function extractApiKey(request: Pick<FastifyRequest, 'headers' | 'query'>): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match) return match[1].trim();
  }
  for (const header of ['x-api-key', 'x-goog-api-key'] as const) {
    const value = request.headers[header];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  const key = (request.query as Record<string, unknown> | undefined)?.key;
  return typeof key === 'string' && key.trim() !== '' ? key.trim() : undefined;
}
