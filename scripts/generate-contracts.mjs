#!/usr/bin/env node
// Generates TypeScript from proto/ with protoc and ts-proto (protoc from Debian's protobuf-compiler).
import { readdirSync, rmSync, mkdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './lib/infra-config.mjs';
import { run, commandExists, log } from './lib/proc.mjs';

if (!commandExists('protoc')) {
  log('installing protoc (protobuf-compiler)');
  const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const apt = (...args) =>
    run(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), ...args], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  apt('update', '-qq');
  apt('install', '-y', '-qq', '--no-install-recommends', 'protobuf-compiler');
}

const protoDir = join(repoRoot, 'proto');
const out = join(repoRoot, 'libs/contracts/src/generated');
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.proto')) files.push(relative(protoDir, path));
  }
};
walk(protoDir);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
run(
  'protoc',
  [
    `--plugin=protoc-gen-ts_proto=${join(repoRoot, 'node_modules/.bin/protoc-gen-ts_proto')}`,
    `--ts_proto_out=${out}`,
    '--ts_proto_opt=outputServices=grpc-js,esModuleInterop=true,forceLong=string,env=node,useDate=false',
    '-I',
    protoDir,
    ...files.sort(),
  ],
  { cwd: repoRoot },
);
log(`generated ${files.length} contracts into ${relative(repoRoot, out)}`);
