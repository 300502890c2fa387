import { Agent } from 'undici';
import { createTestAccount, startTestPlatform, TestPlatform } from '@apitopmix/testing';

jest.setTimeout(120_000);

/**
 * Rate limits as a client sees them: the spec's tiers, the 429 body and headers, and one limit shared by every edge
 * replica (state in Redis, one Lua call per decision).
 */

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform();
}, 120_000);

afterAll(async () => {
  await platform?.shutdown();
});

const headerNames = ['limit-requests', 'remaining-requests', 'reset-requests', 'limit-tokens', 'remaining-tokens'].map((h) => `x-ratelimit-${h}`);

/** A small chat request to a free model: these tests are about the limiter, not the balance. */
const chat = (baseUrl: string, apiKey: string, dispatcher?: Agent) =>
  fetch(`${baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'meta/llama-3.3-70b-instruct', messages: [{ role: 'user', content: 'hi' }], max_tokens: 16 }),
    // @ts-expect-error undici's fetch takes a dispatcher; the DOM typing does not know it
    dispatcher,
  });

it('a Free-tier key sending 12 requests in a burst: exactly 10 succeed, and each 429 says why, with the five headers and Retry-After', async () => {
  const { apiKey } = await createTestAccount(platform.prisma, { tier: 'FREE' });
  const responses = await Promise.all(Array.from({ length: 12 }, () => chat(platform.baseUrl, apiKey)));
  const ok = responses.filter((r) => r.status === 200);
  const limited = responses.filter((r) => r.status === 429);
  expect(ok).toHaveLength(10);
  expect(limited).toHaveLength(2);
  for (const response of ok) {
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('10');
    expect(response.headers.get('x-ratelimit-limit-tokens')).toBe('40000');
  }
  for (const response of limited) {
    expect(await response.json()).toEqual({
      error: {
        message: expect.stringMatching(/Rate limit reached for requests per minute/),
        type: 'rate_limit_error',
        code: 'rate_limit_exceeded',
        param: null,
      },
    });
    for (const name of headerNames) expect(response.headers.get(name)).toMatch(/^\d+$/);
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('10');
    // One request comes back every 6 s at 10 per minute.
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(6);
  }
});

it('two edge processes share one limit: 1,000 concurrent requests on a 100-per-minute key admit 100 (plus what refills meanwhile)', async () => {
  const { apiKey } = await createTestAccount(platform.prisma, { tier: 'ENTERPRISE', rpmLimit: 100, tpmLimit: 100_000_000 });
  const second = await platform.startEdge('edge-2');
  // Enough sockets for every request at once.
  const dispatcher = new Agent({ connections: 600 });
  try {
    const started = Date.now();
    const statuses = await Promise.all(
      Array.from({ length: 1_000 }, (_, i) =>
        chat(i % 2 === 0 ? platform.baseUrl : second.baseUrl, apiKey, dispatcher).then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        }),
      ),
    );
    const seconds = (Date.now() - started) / 1_000;
    const admitted = statuses.filter((s) => s === 200).length;
    // An overloaded limiter sheds with 503 rather than admit past the limit (edge admission policy).
    expect(statuses.filter((s) => s !== 200 && s !== 429 && s !== 503)).toEqual([]);
    // The bucket starts full (100) and refills at 100 per minute while the burst lasts; per-replica limits would
    // have let 200 through.
    expect(admitted).toBeGreaterThanOrEqual(100);
    expect(admitted).toBeLessThanOrEqual(100 + Math.ceil((seconds * 100) / 60));
  } finally {
    await dispatcher.close();
    await second.process.stop();
  }
});
