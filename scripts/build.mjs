#!/usr/bin/env node
// Builds everything the services run: contracts and Prisma client generated, TypeScript compiled into dist/
// (one tsc program for the whole repository), path aliases rewritten to relative requires.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './lib/infra-config.mjs';
import { run, log } from './lib/proc.mjs';

const bin = (name) => join(repoRoot, 'node_modules/.bin', name);
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const started = Date.now();
run(bin('nx'), ['run-many', '-t', 'generate', '--outputStyle=static'], { cwd: repoRoot, env, stdio: 'inherit' });
// From a clean dist/: output of a deleted source file would otherwise linger and shadow its replacement.
rmSync(join(repoRoot, 'dist'), { recursive: true, force: true });
run(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'inherit' });
run(bin('tsc-alias'), ['-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'inherit' });
log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
