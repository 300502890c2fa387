import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const repoRoot = join(__dirname, '../../..');
const requirements = join(repoRoot, 'e2e/python/requirements.txt');
const venv = join(repoRoot, '.local/python-sdk');

/**
 * A Python virtual environment with the official SDKs pinned in e2e/python/requirements.txt, created on first use
 * (from PyPI) and reused while the requirements are unchanged. Returns the interpreter's path.
 */
export function pythonWithSdks(): string {
  const python = join(venv, 'bin/python');
  const marker = join(venv, 'requirements.installed');
  const wanted = readFileSync(requirements, 'utf8');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted) return python;
  execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirements], { stdio: 'inherit' });
  writeFileSync(marker, wanted);
  return python;
}

/** Runs one of e2e/python's scripts against a platform; returns its stdout, or throws with its stderr. */
export function runPythonExample(script: string, env: { baseUrl: string; apiKey: string }): string {
  const result = spawnSync(pythonWithSdks(), [join(repoRoot, 'e2e/python', script)], {
    env: { ...process.env, APITOPMIX_BASE_URL: env.baseUrl, APITOPMIX_API_KEY: env.apiKey },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`${script} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}
