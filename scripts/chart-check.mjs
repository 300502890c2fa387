#!/usr/bin/env node
// The deployment checks, run by `npm test` before the other tests (under 10 s once the tools are cached):
// 1. every service has a Dockerfile, and every Dockerfile passes the lint (scripts/lib/dockerfile-lint.js);
// 2. `helm lint --strict` with the default and the production values;
// 3. `helm template` with both, every rendered object validated strictly against the Kubernetes API schemas;
// 4. the chart's unit tests (helm/tests/*.spec.ts, jest).
// helm is built from the Go module proxy and the schemas generated from k8s.io/kubernetes once, into .local/tools.
import { readdirSync, readFileSync, existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import tools from './lib/chart-tools.js';
import k8s from './lib/k8s-schemas.js';
import dockerfiles from './lib/dockerfile-lint.js';

const { repoRoot, chartDir, KUBERNETES_VERSION, ensureHelm, ensureSchemas, helmTemplate, parseManifests, run } = tools;
const log = (message) => process.stdout.write(`[chart-check] ${message}\n`);
const started = Date.now();
const failures = [];
const fail = (message) => failures.push(message);

// 1. Dockerfiles: one per service, plus the migrations image the chart's hook runs and the sandbox for compose.
const dockerDir = join(repoRoot, 'deploy', 'docker');
const services = readdirSync(join(repoRoot, 'services'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
for (const name of [...services, 'migrations', 'sandbox-provider']) {
  if (!existsSync(join(dockerDir, `${name}.Dockerfile`))) fail(`deploy/docker/${name}.Dockerfile is missing`);
}
const dockerfileNames = readdirSync(dockerDir).filter((name) => name.endsWith('.Dockerfile'));
for (const name of dockerfileNames) {
  for (const problem of dockerfiles.lintDockerfile(readFileSync(join(dockerDir, name), 'utf8'))) fail(`deploy/docker/${name}: ${problem}`);
}
// The compose file builds each image from its Dockerfile and runs every service.
const { parse } = (await import('yaml')).default;
const compose = parse(readFileSync(join(repoRoot, 'deploy', 'compose.yaml'), 'utf8'), { merge: true });
for (const name of [...services, 'migrations', 'sandbox-provider']) {
  const service = compose.services?.[name];
  if (!service) fail(`deploy/compose.yaml has no service ${name}`);
  else if (service.build?.dockerfile !== `deploy/docker/${name}.Dockerfile`)
    fail(`deploy/compose.yaml: ${name} is not built from deploy/docker/${name}.Dockerfile`);
  else if (service.user !== '1000:1000' || service.read_only !== true)
    fail(`deploy/compose.yaml: ${name} must run as 1000:1000 with a read-only root filesystem`);
}
log(`${dockerfileNames.length} Dockerfiles linted, deploy/compose.yaml checked`);

// 2 and 3: lint, render, validate.
const helm = ensureHelm(log);
const schemas = ensureSchemas(log);
const validate = k8s.createValidator(schemas);
const production = join(repoRoot, 'deploy', 'helm', 'values-production.yaml');
const renderedDir = join(repoRoot, '.local', 'chart');
mkdirSync(renderedDir, { recursive: true });
for (const [label, valueFiles] of [
  ['default values', []],
  ['production values', [production]],
]) {
  const lint = spawnSync(helm, ['lint', chartDir, '--strict', '--kube-version', KUBERNETES_VERSION, ...valueFiles.flatMap((file) => ['--values', file])], {
    encoding: 'utf8',
  });
  if (lint.status !== 0) fail(`helm lint (${label}):\n${lint.stdout}${lint.stderr}`);
  let text;
  try {
    text = helmTemplate({ valueFiles });
  } catch (error) {
    fail(`helm template (${label}): ${error.message}`);
    continue;
  }
  const file = join(renderedDir, `${valueFiles.length ? 'production' : 'default'}.yaml`);
  writeFileSync(file, text);
  const objects = parseManifests(text);
  for (const object of objects) {
    for (const problem of validate(object)) fail(`${label}: ${object.kind}/${object.metadata?.name}: ${problem}`);
  }
  log(`${label}: lint passed, ${objects.length} objects rendered (${relative(repoRoot, file)}) and validated against Kubernetes ${KUBERNETES_VERSION}`);
}

if (failures.length) {
  for (const failure of failures) process.stderr.write(`[chart-check] FAIL ${failure}\n`);
  process.exit(1);
}

// 4. The chart's unit tests. They load the services' configuration schemas, which import the generated contracts:
// in a fresh clone, before any build, generate them first (what scripts/build.mjs does first too).
if (!existsSync(join(repoRoot, 'libs/contracts/src/generated'))) {
  log('generating the contracts first (nx run-many -t generate)');
  run(join(repoRoot, 'node_modules/.bin/nx'), ['run-many', '-t', 'generate', '--outputStyle=static'], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
  });
}
log('chart unit tests');
try {
  run(join(repoRoot, 'node_modules/.bin/jest'), ['--config', join(repoRoot, 'helm/tests/jest.config.js')], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, APITOPMIX_HELM: helm },
  });
} catch {
  process.stderr.write('[chart-check] FAIL chart unit tests\n');
  process.exit(1);
}
log(`passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
