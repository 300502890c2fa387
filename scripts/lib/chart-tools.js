// The tools the chart checks need, built or generated once and cached under .local/tools (keyed by version):
// `helm`, compiled from the Go module proxy, and the Kubernetes API schemas, generated from the k8s.io/kubernetes
// module's swagger.json. CommonJS with node built-ins and installed packages only, so scripts and jest share it.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { swaggerToSchemas } = require('./k8s-schemas.js');

const repoRoot = join(__dirname, '..', '..');
const HELM_VERSION = 'v3.19.0';
/** The Kubernetes release the manifests are rendered for (helm --kube-version) and validated against. */
const KUBERNETES_VERSION = 'v1.34.4';
const toolsDir = join(repoRoot, '.local', 'tools');
const chartDir = join(repoRoot, 'helm', 'apitopmix');

const helmPath = () => process.env.APITOPMIX_HELM || join(toolsDir, `helm-${HELM_VERSION}`, 'helm');
const schemasPath = () => join(toolsDir, `k8s-schemas-${KUBERNETES_VERSION}.json`);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  return result.stdout;
}

function requireGo() {
  const result = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error('the chart checks need the Go toolchain (`go`), to build helm from the Go module proxy: install Go 1.24 or newer');
  }
  return result.stdout.trim();
}

// Static, with the version and the Kubernetes API version helm assumes without a cluster set as the release
// Makefile sets them (otherwise `helm version` says v3.19 and templates see Kubernetes v1.20).
const helmLdflags = () => {
  const [major, minor] = KUBERNETES_VERSION.slice(1).split('.');
  return [
    '-s -w',
    `-X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}`,
    ...['pkg/chartutil', 'pkg/lint/rules'].flatMap((pkg) => [
      `-X helm.sh/helm/v3/${pkg}.k8sVersionMajor=${major}`,
      `-X helm.sh/helm/v3/${pkg}.k8sVersionMinor=${minor}`,
    ]),
  ].join(' ');
};

/** Builds helm with `go install` into .local/tools/helm-<version>/ unless it is there. Returns its path. */
function ensureHelm(log = () => {}) {
  const target = helmPath();
  if (existsSync(target)) return target;
  log(`building helm ${HELM_VERSION} with ${requireGo()} (once; cached in ${target})`);
  const started = Date.now();
  const bin = mkdtempSync(join(tmpdir(), 'apitopmix-helm-'));
  try {
    run('go', ['install', '-trimpath', `-ldflags=${helmLdflags()}`, `helm.sh/helm/v3/cmd/helm@${HELM_VERSION}`], {
      cwd: bin,
      env: { ...process.env, GOBIN: bin, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    mkdirSync(join(target, '..'), { recursive: true });
    renameSync(join(bin, 'helm'), target);
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
  log(`helm built in ${Math.round((Date.now() - started) / 1000)} s`);
  return target;
}

/**
 * Generates the Kubernetes schemas unless cached: the k8s.io/kubernetes module comes from the Go module proxy
 * (`go mod download` prints where it unpacked it), and its api/openapi-spec/swagger.json is converted.
 */
function ensureSchemas(log = () => {}) {
  const target = schemasPath();
  if (existsSync(target)) return JSON.parse(readFileSync(target, 'utf8'));
  log(`generating Kubernetes ${KUBERNETES_VERSION} API schemas from k8s.io/kubernetes (once; cached in ${target})`);
  const started = Date.now();
  requireGo();
  const scratch = mkdtempSync(join(tmpdir(), 'apitopmix-k8s-'));
  let module;
  try {
    module = JSON.parse(
      run('go', ['mod', 'download', '-json', `k8s.io/kubernetes@${KUBERNETES_VERSION}`], { cwd: scratch, env: { ...process.env, GOFLAGS: '-mod=mod' } }),
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const swagger = JSON.parse(readFileSync(join(module.Dir, 'api', 'openapi-spec', 'swagger.json'), 'utf8'));
  const schemas = swaggerToSchemas(swagger);
  mkdirSync(toolsDir, { recursive: true });
  writeFileSync(`${target}.tmp`, JSON.stringify(schemas));
  renameSync(`${target}.tmp`, target);
  log(`schemas for ${Object.keys(schemas.kinds).length} kinds generated in ${Math.round((Date.now() - started) / 1000)} s`);
  return schemas;
}

/** `helm template` of the chart with value files and --set-json pairs; returns the YAML text. */
function helmTemplate({ valueFiles = [], setJson = {}, release = 'apitopmix', namespace = 'apitopmix', extraArgs = [] } = {}) {
  const args = ['template', release, chartDir, '--namespace', namespace, '--kube-version', KUBERNETES_VERSION];
  for (const file of valueFiles) args.push('--values', file);
  for (const [path, value] of Object.entries(setJson)) args.push('--set-json', `${path}=${JSON.stringify(value)}`);
  return run(helmPath(), [...args, ...extraArgs], { cwd: repoRoot });
}

/** Parses helm's multi-document output into objects (empty documents dropped). */
function parseManifests(text) {
  const { parseAllDocuments } = require('yaml');
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length) throw new Error(`rendered YAML does not parse: ${document.errors[0].message}`);
      return document.toJS();
    })
    .filter((object) => object !== null && object !== undefined);
}

module.exports = {
  HELM_VERSION,
  KUBERNETES_VERSION,
  repoRoot,
  chartDir,
  helmPath,
  schemasPath,
  ensureHelm,
  ensureSchemas,
  helmTemplate,
  parseManifests,
  run,
};
