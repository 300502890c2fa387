#!/usr/bin/env node
// `npm run check`: formatting, lint with zero warnings, and a strict type-check of the whole repository.
// `npm run check -- --fix` rewrites formatting and fixable lint problems instead of only reporting them.
import { join } from 'node:path';
import { repoRoot } from './lib/infra-config.mjs';
import { run, log } from './lib/proc.mjs';

const fix = process.argv.includes('--fix');
const bin = (name) => join(repoRoot, 'node_modules/.bin', name);
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const step = (name, command, args) => {
  log(name);
  run(bin(command), args, { cwd: repoRoot, stdio: 'inherit', env });
};

step('generate', 'nx', ['run-many', '-t', 'generate', '--outputStyle=static']);
step('format', 'prettier', [fix ? '--write' : '--check', '--log-level', 'warn', '.']);
step('lint', 'eslint', ['--max-warnings', '0', ...(fix ? ['--fix'] : []), '.']);
step('typecheck', 'tsc', ['-p', 'tsconfig.json', '--noEmit']);
log('check passed');
