import { ConfigError, loadConfig } from '@apitopmix/platform/config';
import { mediaJobsConfigSchema } from '../config/media-jobs.config';
import { mediaEndpointsFromEnv } from './media-upstreams';

const base = { DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/db', KAFKA_BROKERS: '127.0.0.1:9092' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(mediaJobsConfigSchema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('media-jobs job settings', () => {
  it('has defaults that suit real upstreams', () => {
    expect(loadConfig(mediaJobsConfigSchema, base)).toMatchObject({
      JOB_POLL_INTERVAL_MS: 2_000,
      JOB_POLL_MAX_INTERVAL_MS: 10_000,
      JOB_LEASE_MS: 60_000,
      JOB_UPSTREAM_TIMEOUT_MS: 15_000,
      JOB_DEADLINE_MS: 1_200_000,
      JOB_CONCURRENCY: 100,
    });
  });

  it('refuses a lease that a step could outlast, naming JOB_LEASE_MS', () => {
    expect(problems({ ...base, JOB_LEASE_MS: '5000', JOB_POLL_MAX_INTERVAL_MS: '4000', JOB_UPSTREAM_TIMEOUT_MS: '2000' })).toEqual([
      expect.stringMatching(/^JOB_LEASE_MS: must be at least JOB_POLL_MAX_INTERVAL_MS/),
    ]);
    expect(problems({ ...base, JOB_LEASE_MS: '7000', JOB_POLL_MAX_INTERVAL_MS: '4000', JOB_UPSTREAM_TIMEOUT_MS: '2000' })).toEqual([]);
  });

  it('refuses a worker id with characters a lease token cannot carry', () => {
    expect(problems({ ...base, JOB_WORKER_ID: 'a/b' })).toEqual([expect.stringMatching(/^JOB_WORKER_ID: /)]);
  });
});

describe('mediaEndpointsFromEnv', () => {
  it('turns a provider on with its key, at its base URL or the vendor default', () => {
    const endpoints = mediaEndpointsFromEnv({ XAI_API_KEY: 'x', SUNO_API_KEY: 's', SUNO_BASE_URL: 'http://127.0.0.1:1' });
    expect(endpoints.get('xai-video')).toEqual({ provider: 'xai-video', baseUrl: 'https://api.x.ai/v1', apiKey: 'x' });
    expect(endpoints.get('suno')).toEqual({ provider: 'suno', baseUrl: 'http://127.0.0.1:1', apiKey: 's' });
    expect(mediaEndpointsFromEnv({}).size).toBe(0);
  });

  it('refuses a base URL that is not http(s), naming the variable', () => {
    expect(() => mediaEndpointsFromEnv({ XAI_BASE_URL: 'ftp://example.com' })).toThrow(/XAI_BASE_URL: must be an http\(s\) URL/);
  });
});
