import { ModelCatalog } from '@apitopmix/catalog';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { Deployment, DeploymentRouter } from './deployment-router';
import { routingConfigSchema } from './routing.config';

const model = new ModelCatalog().find('gpt-4.1')!;
const env = { KEY_A: 'a', KEY_B: 'b' };
const unavailable = (retryAfterSeconds?: number) => new GatewayError(ErrorCode.UpstreamUnavailable, 'busy', { retryAfterSeconds });

function setup(overrides: Record<string, unknown> = {}) {
  let clock = 1_000_000;
  const sleeps: number[] = [];
  const config = routingConfigSchema.parse({
    deployments: [
      { name: 'a', provider: 'openai', baseUrl: 'http://a.test/v1', apiKeyEnv: 'KEY_A', weight: 1 },
      { name: 'b', provider: 'openai', baseUrl: 'http://b.test/v1', apiKeyEnv: 'KEY_B', weight: 1 },
    ],
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 },
    cooldown: { failures: 2, windowMs: 10_000, durationMs: 30_000 },
    ...overrides,
  });
  const router = new DeploymentRouter(
    config,
    env,
    () => clock,
    () => 0, // always the first candidate, no jitter
    async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
  );
  return { router, sleeps, advance: (ms: number) => (clock += ms) };
}

describe('DeploymentRouter', () => {
  it('answers from the first deployment when it works', async () => {
    const { router, sleeps } = setup();
    const outcome = await router.run(model, async (d) => d.name);
    expect(outcome).toMatchObject({ result: 'a', attempts: 1 });
    expect(outcome.deployment.endpoint).toEqual({ provider: 'openai', baseUrl: 'http://a.test/v1', apiKey: 'a' });
    expect(sleeps).toEqual([]);
  });

  it('retries a 429 on the next deployment, after a backoff', async () => {
    const { router, sleeps } = setup();
    const seen: string[] = [];
    const outcome = await router.run(model, async (d: Deployment) => {
      seen.push(d.name);
      if (d.name === 'a') throw unavailable();
      return 'ok';
    });
    expect(seen).toEqual(['a', 'b']);
    expect(outcome).toMatchObject({ result: 'ok', attempts: 2 });
    expect(sleeps).toEqual([50]); // equal jitter with random 0: half of the 100 ms base
  });

  it('never retries what the upstream rejected as the caller’s mistake', async () => {
    const { router } = setup();
    let calls = 0;
    await expect(
      router.run(model, async () => {
        calls += 1;
        throw new GatewayError(ErrorCode.UpstreamRejected, 'bad param', { status: 400 });
      }),
    ).rejects.toMatchObject({ code: ErrorCode.UpstreamRejected });
    expect(calls).toBe(1);
  });

  it('honours Retry-After when it comes back to the same deployment', async () => {
    const { router, sleeps } = setup({ deployments: [{ name: 'a', provider: 'openai', apiKeyEnv: 'KEY_A' }] });
    let calls = 0;
    const outcome = await router.run(model, async () => {
      calls += 1;
      if (calls === 1) throw unavailable(2);
      return 'ok';
    });
    expect(outcome.attempts).toBe(2);
    expect(sleeps).toEqual([2_000]);
  });

  it('gives up at once on a Retry-After longer than it may wait, when there is nowhere else to go', async () => {
    const { router, sleeps } = setup({ deployments: [{ name: 'a', provider: 'openai', apiKeyEnv: 'KEY_A' }] });
    await expect(router.run(model, async () => Promise.reject(unavailable(60)))).rejects.toMatchObject({ code: ErrorCode.UpstreamUnavailable });
    expect(sleeps).toEqual([]);
  });

  it('takes a failing deployment out for the cool-down, and answers 503 when every one is out', async () => {
    const { router, advance } = setup();
    for (let i = 0; i < 2; i++) await expect(router.run(model, async () => Promise.reject(unavailable()))).rejects.toBeInstanceOf(GatewayError);
    expect(router.coolingDown().sort()).toEqual(['a', 'b']);
    await expect(router.run(model, async () => 'never')).rejects.toMatchObject({
      code: ErrorCode.UpstreamUnavailable,
      message: expect.stringMatching(/failing or cooling down/),
    });
    advance(30_001);
    await expect(router.run(model, async (d) => d.name)).resolves.toMatchObject({ result: 'a' });
  });

  it('stops after maxAttempts', async () => {
    const { router } = setup();
    let calls = 0;
    await expect(router.run(model, async () => ((calls += 1), Promise.reject(unavailable())))).rejects.toBeInstanceOf(GatewayError);
    expect(calls).toBe(3);
  });

  it('routes only to deployments of the model’s provider that serve it', async () => {
    const { router } = setup({
      deployments: [
        { name: 'nim', provider: 'nvidia-nim', apiKeyEnv: 'KEY_A' },
        { name: 'only-mini', provider: 'openai', apiKeyEnv: 'KEY_A', models: ['gpt-4.1-mini'] },
        { name: 'all-gpt', provider: 'openai', apiKeyEnv: 'KEY_B', models: ['gpt-*'] },
      ],
    });
    await expect(router.run(model, async (d) => d.name)).resolves.toMatchObject({ result: 'all-gpt' });
    const llama = new ModelCatalog().find('meta/llama-3.3-70b-instruct')!;
    await expect(router.run(llama, async (d) => d.name)).resolves.toMatchObject({ result: 'nim' });
    const claude = new ModelCatalog().find('claude-sonnet-4-6')!;
    await expect(router.run(claude, async (d) => d.name)).rejects.toMatchObject({ message: expect.stringMatching(/no upstream deployment/) });
  });

  it('draws the first attempt by weight', () => {
    const draws = [0.1, 0.9];
    const config = routingConfigSchema.parse({
      deployments: [
        { name: 'light', provider: 'openai', apiKeyEnv: 'KEY_A', weight: 1 },
        { name: 'heavy', provider: 'openai', apiKeyEnv: 'KEY_B', weight: 3 },
      ],
    });
    const router = new DeploymentRouter(config, env, Date.now, () => draws.shift()!);
    return Promise.all([router.run(model, async (d) => d.name), router.run(model, async (d) => d.name)]).then((outcomes) =>
      expect(outcomes.map((o) => o.result)).toEqual(['light', 'heavy']),
    );
  });
});
