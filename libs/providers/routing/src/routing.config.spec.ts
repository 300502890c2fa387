import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@apitopmix/platform/config';
import { loadRoutingConfig } from './routing.config';

const file = (content: unknown) => {
  const path = join(mkdtempSync(join(tmpdir(), 'routing-')), 'routing.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

const problems = (env: NodeJS.ProcessEnv): string => {
  try {
    loadRoutingConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a configuration error');
};

describe('loadRoutingConfig', () => {
  it('without a file, has one deployment per provider whose key is set, at its base URL', () => {
    const config = loadRoutingConfig({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', NVIDIA_NIM_API_KEY: 'n' });
    expect(config.deployments.map((d) => [d.name, d.baseUrl, d.apiKeyEnv])).toEqual([
      ['openai', 'http://127.0.0.1:9/v1', 'OPENAI_API_KEY'],
      ['nvidia-nim', undefined, 'NVIDIA_NIM_API_KEY'],
    ]);
    expect(config.retry).toEqual({ maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 2_000, maxRetryAfterMs: 5_000 });
    expect(loadRoutingConfig({}).deployments).toEqual([]);
  });

  it('names a bad base URL even for a provider without a key', () => {
    expect(problems({ OPENAI_BASE_URL: 'ftp://example.com' })).toMatch(/OPENAI_BASE_URL: must be an http\(s\) URL/);
  });

  it('reads a file, with weights and model patterns, and secrets from the environment', () => {
    const path = file({
      deployments: [
        { name: 'east', provider: 'openai', baseUrl: 'http://east.test/v1', apiKeyEnv: 'EAST_KEY', weight: 3, models: ['gpt-*'] },
        { name: 'west', provider: 'openai', baseUrl: 'http://west.test/v1', apiKeyEnv: 'WEST_KEY' },
      ],
      retry: { maxAttempts: 2 },
    });
    const config = loadRoutingConfig({ ROUTING_CONFIG_FILE: path, EAST_KEY: 'e', WEST_KEY: 'w' });
    expect(config.deployments[0]).toMatchObject({ name: 'east', weight: 3, models: ['gpt-*'] });
    expect(config.deployments[1]).toMatchObject({ name: 'west', weight: 1, models: ['*'] });
    expect(config.retry.maxAttempts).toBe(2);
  });

  it('names what is wrong in a file', () => {
    expect(problems({ ROUTING_CONFIG_FILE: file('{ not json') })).toMatch(/ROUTING_CONFIG_FILE: cannot read .* as JSON/);
    expect(problems({ ROUTING_CONFIG_FILE: file({ deployments: [] }) })).toMatch(/at least one/);
    expect(problems({ ROUTING_CONFIG_FILE: file({ deployments: [{ name: 'x', provider: 'nope', apiKeyEnv: 'K' }] }) })).toMatch(/deployments\.0\.provider/);
    const twice = file({
      deployments: [
        { name: 'x', provider: 'openai', apiKeyEnv: 'K' },
        { name: 'x', provider: 'openai', apiKeyEnv: 'K' },
      ],
    });
    expect(problems({ ROUTING_CONFIG_FILE: twice, K: 'k' })).toMatch(/"x" is used twice/);
    expect(problems({ ROUTING_CONFIG_FILE: file({ deployments: [{ name: 'x', provider: 'openai', apiKeyEnv: 'MISSING_KEY' }] }) })).toMatch(
      /MISSING_KEY: not set/,
    );
  });
});
