import { SandboxRouter, type RouteHandler } from './sandbox-router';

const handler = (name: string): RouteHandler => Object.assign(() => undefined, { routeName: name });
const nameOf = (match: { handler: RouteHandler } | undefined) => (match?.handler as unknown as { routeName?: string })?.routeName;

describe('SandboxRouter', () => {
  const router = new SandboxRouter([
    { method: 'GET', path: '/v1/models', handler: handler('list') },
    { method: 'GET', path: '/v1/models/{id*}', handler: handler('get') },
    { method: 'POST', path: '/v1beta/models/{model}:generateContent', handler: handler('generate') },
    { method: 'GET', path: '/v1beta/models/{model}', handler: handler('geminiModel') },
  ]);

  it('prefers literal paths, then patterns with decoded params', () => {
    expect(nameOf(router.match('GET', '/v1/models/'))).toBe('list');
    expect(router.match('GET', '/v1/models/meta/llama-3%2E3')).toMatchObject({ params: { id: 'meta/llama-3.3' } });
    expect(router.match('POST', '/v1beta/models/gemini-2.5-flash:generateContent')).toMatchObject({ params: { model: 'gemini-2.5-flash' } });
  });

  it('keeps one-segment placeholders out of `:` methods and other methods', () => {
    expect(router.match('GET', '/v1beta/models/x:generateContent')).toBeUndefined();
    expect(router.match('POST', '/v1beta/models/x:streamGenerateContent')).toBeUndefined();
    expect(router.match('DELETE', '/v1/models/x')).toBeUndefined();
    expect(router.match('GET', '/v1/models/%E0%A4%A')).toBeUndefined();
  });

  it('refuses a route registered twice', () => {
    expect(
      () =>
        new SandboxRouter([
          { method: 'GET', path: '/a/{x}', handler: handler('1') },
          { method: 'GET', path: '/a/{x}', handler: handler('2') },
        ]),
    ).toThrow(/registered twice/);
  });
});
