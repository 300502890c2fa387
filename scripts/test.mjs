#!/usr/bin/env node
// `npm test`: set-up (dependencies, infrastructure, build, migrations of the test database), then every test:
// unit, integration against the real PostgreSQL/Redis/Kafka, and end-to-end against the running platform.
// `npm run soak` runs the long versions.
import { join } from 'node:path';
import { repoRoot, redisUrl, kafkaBrokers } from './lib/infra-config.mjs';
import { installDependencies, startInfrastructure, build, migrate } from './lib/setup.mjs';
import { log } from './lib/proc.mjs';
import { spawnSync } from 'node:child_process';

const soak = process.argv.includes('--soak');
const started = Date.now();
installDependencies();
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
process.exit(result.status ?? 1);
