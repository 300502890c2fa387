import { callerDialect } from './caller-dialect';

describe('callerDialect', () => {
  it.each([
    ['/v1/chat/completions', 'openai'],
    ['/v1/models/meta/llama-3.3-70b-instruct', 'openai'],
    ['/v1/nope', 'openai'],
    ['/v1/messages', 'anthropic'],
    ['/v1/messages?beta=true', 'anthropic'],
    ['/v1/messages/count_tokens', 'anthropic'],
    ['/v1beta/models/gemini-3-pro-preview:generateContent?key=x', 'gemini'],
    ['/v1/projects/p/locations/us-central1/publishers/google/models/gemini-3-pro-preview:streamGenerateContent?alt=sse', 'gemini'],
    ['/v1/projects/p/locations/l/endpoints/openapi/chat/completions', 'openai'],
    ['/suno/submit/music', 'suno'],
    ['/suno/fetch/suno_abc?x=1', 'suno'],
    ['/suno/nope', 'suno'],
    ['/sunofoo', 'openai'],
    ['/v1/videos/task_1', 'openai'],
  ])('%s speaks %s', (url, dialect) => {
    expect(callerDialect(url)).toBe(dialect);
  });
});
