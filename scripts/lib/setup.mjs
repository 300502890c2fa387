// The set-up steps shared by `npm start` and `npm test`: dependencies, infrastructure, build, migrations.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, databaseUrl } from './infra-config.mjs';
import { run, log } from './proc.mjs';

const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

/** npm ci when node_modules is missing or older than the lockfile. */
export function installDependencies() {
  const marker = join(repoRoot, 'node_modules', '.package-lock.json');
  const lock = join(repoRoot, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  log('installing dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: repoRoot, stdio: 'inherit', env });
}

export function startInfrastructure() {
  run(process.execPath, [join(repoRoot, 'scripts/infra.mjs'), 'up'], { cwd: repoRoot, stdio: 'inherit' });
}

export function build() {
  run(process.execPath, [join(repoRoot, 'scripts/build.mjs')], { cwd: repoRoot, stdio: 'inherit', env });
}

/** `prisma migrate deploy`: applies committed migrations, never generates new ones. */
export function migrate(database) {
  const url = databaseUrl(database);
  run(join(repoRoot, 'node_modules/.bin/prisma'), ['migrate', 'deploy'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...env, DATABASE_URL: url },
  });
  log(`migrations applied to ${database ?? 'apitopmix'}`);
  return url;
}
