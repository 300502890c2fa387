#!/usr/bin/env node
// Run in an image's build stage after `npm prune --omit=dev`: deletes from node_modules every package that the
// runtime dependencies in package.json do not reach. What that leaves out are optional peers that npm keeps because
// the dev tree had them: the Prisma CLI (and its ~100 MB of dependencies) and TypeScript, which only the migrations
// image needs. `--dry-run` lists instead of deleting.
'use strict';
const { existsSync, readdirSync, readFileSync, rmSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');

const root = process.cwd();
const dryRun = process.argv.includes('--dry-run');
const manifest = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

/** Node's resolution: the nearest node_modules/<name> walking up from the requiring package. */
function resolvePackage(from, name) {
  for (let dir = from; dir.startsWith(root); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root) break;
  }
  return undefined;
}

const reached = new Set();
function reach(dir) {
  if (reached.has(dir)) return;
  reached.add(dir);
  const pkg = manifest(dir);
  const optionalPeers = pkg.peerDependenciesMeta ?? {};
  const names = [
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}).filter((name) => !optionalPeers[name]?.optional),
  ];
  for (const name of names) {
    const found = resolvePackage(dir, name);
    if (found) reach(found);
  }
}
for (const name of Object.keys(manifest(root).dependencies ?? {})) {
  const found = resolvePackage(root, name);
  if (!found) throw new Error(`runtime dependency ${name} is not installed`);
  reach(found);
}

const installed = [];
(function list(modules) {
  if (!existsSync(modules)) return;
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith('.')) continue;
    const dirs = entry.startsWith('@') ? readdirSync(join(modules, entry)).map((scoped) => join(modules, entry, scoped)) : [join(modules, entry)];
    for (const dir of dirs) {
      if (!existsSync(join(dir, 'package.json'))) continue;
      installed.push(dir);
      list(join(dir, 'node_modules'));
    }
  }
})(join(root, 'node_modules'));

const unreached = installed.filter((dir) => !reached.has(dir));
for (const dir of unreached) {
  if (dryRun) process.stdout.write(`${relative(root, dir)}\n`);
  else rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`${dryRun ? 'would remove' : 'removed'} ${unreached.length} packages not needed at run time\n`);
