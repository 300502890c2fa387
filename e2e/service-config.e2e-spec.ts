import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const repoRoot = join(__dirname, '..');

/** Each service validates its configuration at boot: a bad variable stops it with a message naming the variable. */
const cases: { service: string; env: Record<string, string>; variable: string }[] = [
  { service: 'edge', env: { DATABASE_URL: 'postgresql://x@127.0.0.1:1/x', EDGE_PORT: 'eighty' }, variable: 'EDGE_PORT' },
  { service: 'edge', env: {}, variable: 'DATABASE_URL' },
  { service: 'chat', env: { KAFKA_BROKERS: 'not a broker list' }, variable: 'KAFKA_BROKERS' },
  { service: 'chat', env: { KAFKA_BROKERS: '127.0.0.1:1', OPENAI_BASE_URL: 'ftp://example.com' }, variable: 'OPENAI_BASE_URL' },
  { service: 'billing', env: { KAFKA_BROKERS: '127.0.0.1:1' }, variable: 'DATABASE_URL' },
  { service: 'rate-limit', env: {}, variable: 'REDIS_URL' },
  { service: 'embeddings', env: { EMBEDDINGS_GRPC_URL: 'nowhere' }, variable: 'EMBEDDINGS_GRPC_URL' },
  { service: 'media-jobs', env: { MEDIA_JOBS_GRPC_URL: 'nowhere' }, variable: 'MEDIA_JOBS_GRPC_URL' },
  { service: 'media-jobs', env: { METRICS_PORT: '99999' }, variable: 'METRICS_PORT' },
];

describe('configuration is validated at boot', () => {
  it.each(cases)('$service refuses a bad $variable', ({ service, env, variable }) => {
    const result = spawnSync(process.execPath, [join(repoRoot, 'dist/services', service, 'src/main.js')], {
      env: { PATH: process.env.PATH, OTEL_SDK_DISABLED: 'true', ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toMatch(new RegExp(`^\\s+- ${variable}: `, 'm'));
    expect(result.stderr).not.toMatch(/\bat .+\.js:\d+/); // a message for an operator, not a stack trace
  });
});
