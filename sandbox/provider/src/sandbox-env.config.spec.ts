import { parseSandboxEnv, SandboxEnvError } from './sandbox-env.config';

describe('parseSandboxEnv', () => {
  it('applies the documented defaults, treating empty variables as unset', () => {
    expect(parseSandboxEnv({ SANDBOX_PORT: '' })).toEqual({
      port: 8090,
      host: '127.0.0.1',
      apiKey: 'sandbox-key',
      latencyMs: 0,
      chunkDelayMs: 0,
      mediaTaskMs: 8_000,
    });
  });

  it('reads every variable', () => {
    expect(
      parseSandboxEnv({
        SANDBOX_PORT: '0',
        SANDBOX_HOST: '0.0.0.0',
        SANDBOX_API_KEY: 'k',
        SANDBOX_LATENCY_MS: '150',
        SANDBOX_CHUNK_DELAY_MS: '5',
        SANDBOX_MEDIA_TASK_MS: '1000',
      }),
    ).toEqual({ port: 0, host: '0.0.0.0', apiKey: 'k', latencyMs: 150, chunkDelayMs: 5, mediaTaskMs: 1_000 });
  });

  it.each([
    ['SANDBOX_PORT', 'abc'],
    ['SANDBOX_PORT', '70000'],
    ['SANDBOX_LATENCY_MS', '-1'],
    ['SANDBOX_CHUNK_DELAY_MS', '1.5'],
    ['SANDBOX_LATENCY_MS', '1e3'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    expect(() => parseSandboxEnv({ [name]: value })).toThrow(SandboxEnvError);
    expect(() => parseSandboxEnv({ [name]: value })).toThrow(new RegExp(`${name}: expected an integer`));
  });
});
