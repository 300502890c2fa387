#!/usr/bin/env node
// `npm test`: set-up (dependencies, infrastructure, build, migrations of the test database), then every test:
// unit, integration against the real PostgreSQL/Redis/Kafka, and end-to-end against the running platform.
// `npm run soak` runs the long versions.
import { join } from 'node:path';
import { repoRoot, redisUrl, kafkaBrokers, infra } from './lib/infra-config.mjs';
import { installDependencies, startInfrastructure, build, migrate } from './lib/setup.mjs';
import { log, portOpen, run } from './lib/proc.mjs';
import { spawnSync } from 'node:child_process';

const soak = process.argv.includes('--soak');
const started = Date.now();
installDependencies();
// Deployment checks first (Dockerfiles, helm lint, manifests validated against the Kubernetes API, chart unit tests):
// they need no infrastructure, and fail fast. The first run builds helm (about 4 min); later runs take seconds.
if (!soak) run(process.execPath, [join(repoRoot, 'scripts/chart-check.mjs')], { cwd: repoRoot, stdio: 'inherit' });
// Infrastructure this run starts, it also stops; what was already running (a developer's `npm start`) stays.
const wasRunning = (await Promise.all([infra.postgres.port, infra.redis.port, infra.kafka.port].map((port) => portOpen(port)))).some(Boolean);
startInfrastructure();
build();
const databaseUrl = migrate('apitopmix_test');

const env = {
  ...process.env,
  TEST_DATABASE_URL: databaseUrl,
  TEST_REDIS_URL: redisUrl(),
  TEST_KAFKA_BROKERS: kafkaBrokers(),
  APITOPMIX_SOAK: soak ? '1' : '',
};
const jest = join(repoRoot, 'node_modules/.bin/jest');
// The soak runs are the durability specs with APITOPMIX_SOAK=1: thousands of requests, repeated kills.
const args = soak ? ['e2e/billing-durability', '--selectProjects', 'e2e', '--runInBand'] : ['--runInBand'];
log(`running ${soak ? 'soak' : 'all'} tests`);
const result = spawnSync(jest, [...args, ...process.argv.slice(2).filter((a) => a !== '--soak')], { cwd: repoRoot, env, stdio: 'inherit' });
log(`tests finished in ${Math.round((Date.now() - started) / 1000)} s`);
if (!wasRunning) run(process.execPath, [join(repoRoot, 'scripts/infra.mjs'), 'stop'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
