#!/usr/bin/env node
// `npm start`: everything a fresh machine needs, then the whole platform in the foreground. Ctrl-C stops it all.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot, infra, redisUrl, kafkaBrokers } from './lib/infra-config.mjs';
import { adminFile, adminTokenForStart, writeAdminFile } from './lib/admin-file.mjs';
import { installDependencies, startInfrastructure, build, migrate } from './lib/setup.mjs';
import { log, run } from './lib/proc.mjs';

const require = createRequire(import.meta.url);

installDependencies();
startInfrastructure();
build();
const databaseUrl = migrate();

const { createPrismaClient, ensureDevAccount } = require(join(repoRoot, 'dist/libs/platform/prisma/src/index.js'));
const prisma = createPrismaClient(databaseUrl);
const dev = await ensureDevAccount(prisma, { keyFile: join(infra.home, 'dev-api-key') });
await prisma.$disconnect();

// The admin API's token: created on the first start, the same on every later one (kept in .local/admin.json).
const adminToken = adminTokenForStart();

const { startPlatform } = require('./lib/platform.js');
log('starting services (logs in .local/logs/)');
let platform;
try {
  platform = await startPlatform({
    adminToken,
    databaseUrl,
    redisUrl: redisUrl(),
    kafkaBrokers: kafkaBrokers(),
    providerEnv: process.env,
    logLevel: process.env.LOG_LEVEL ?? 'info',
  });
} catch (error) {
  console.error(`[apitopmix] start failed: ${error.message}`);
  process.exit(1);
}

writeAdminFile({ baseUrl: platform.baseUrl, adminToken });

if (platform.sandboxed.length > 0) {
  log(
    `no real keys for ${platform.sandboxed.join(', ')}: those models answer from the SANDBOX provider at ${platform.sandboxUrl} (deterministic test replies)`,
  );
}
process.stdout.write(`
ApiTopMix is running.
Base URL: ${platform.baseUrl}
API key: ${dev.apiKey}

Try it:
  curl ${platform.baseUrl}/v1/chat/completions -H "Authorization: Bearer ${dev.apiKey}" -H "Content-Type: application/json" -d '{"model":"gpt-4.1","messages":[{"role":"user","content":"Hello!"}]}'

Administration (accounts, keys, credit, usage; the admin token is in ${adminFile}):
  npm run -s admin -- --help
  npm run -s admin -- accounts create --name "Acme" --tier standard --credit 25

Press Ctrl-C to stop everything.
`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  log('stopping services');
  await platform.stop();
  run(process.execPath, [join(repoRoot, 'scripts/infra.mjs'), 'stop'], { stdio: 'inherit' });
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
// A service that dies on its own is reported; the rest keep running.
for (const name of ['edge', 'chat', 'rate-limit', 'billing', 'embeddings', 'media-jobs', 'sandbox-provider']) {
  platform.process(name).exited.then(({ code, signal }) => !stopping && log(`${name} exited (${signal ?? code}); see .local/logs/${name}.log`));
}
