/** The API dialect a request speaks, decided by its path alone, so even a 404 answers in the caller's shape. */
export type CallerDialect = 'openai' | 'anthropic' | 'gemini' | 'suno';

export function callerDialect(url: string): CallerDialect {
  const path = url.split('?')[0];
  if (path === '/v1/messages' || path.startsWith('/v1/messages/')) return 'anthropic';
  if (path.startsWith('/v1beta/')) return 'gemini';
  // The Suno API's envelope, {code, message, data}, for everything under /suno/.
  if (path === '/suno' || path.startsWith('/suno/')) return 'suno';
  // Vertex-style URLs: the publisher routes speak Gemini; the OpenAI-compatible endpoint speaks OpenAI.
  if (/^\/v1\/projects\/[^/]+\/locations\/[^/]+\/publishers\//.test(path)) return 'gemini';
  return 'openai';
}
