// Starts and stops the gateway's processes: the six services and the sandbox provider, each a `node` process on
// the compiled output in dist/. Used by `npm start` and by the end-to-end tests (which start their own copy on
// free ports). CommonJS with node built-ins and installed packages only, so both ESM scripts and jest can load it.
'use strict';
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { createServer } = require('node:net');
const { mkdirSync, openSync, closeSync } = require('node:fs');
const { join } = require('node:path');

const repoRoot = join(__dirname, '..', '..');

/**
 * Providers whose models the sandbox can stand in for, by environment prefix (see libs/catalog/src/providers.ts),
 * with the path under the sandbox where that provider's API lives (OpenAI-style base URLs end in /v1).
 */
const sandboxProviders = [
  { prefix: 'OPENAI', path: '/v1' },
  { prefix: 'NVIDIA_NIM', path: '/v1' },
  { prefix: 'DEEPSEEK', path: '/v1' },
  { prefix: 'ANTHROPIC', path: '' },
  { prefix: 'GEMINI', path: '' },
];

/** Providers of asynchronous media jobs (media-jobs calls them): xAI's video API under /v1, the Suno relay at the root. */
const sandboxMediaProviders = [
  { prefix: 'XAI', path: '/v1' },
  { prefix: 'SUNO', path: '' },
];

const defaultPorts = {
  edge: 8080,
  chat: 50051,
  embeddings: 50052,
  mediaJobs: 50053,
  billing: 50054,
  rateLimit: 50055,
  sandbox: 8090,
  metricsEdge: 9101,
  metricsChat: 9102,
  metricsEmbeddings: 9103,
  metricsMediaJobs: 9104,
  metricsBilling: 9105,
  metricsRateLimit: 9106,
};

/** The default ports, each overridable as APITOPMIX_<NAME>_PORT (e.g. APITOPMIX_EDGE_PORT, APITOPMIX_METRICS_CHAT_PORT). */
function portsFromEnv(env = process.env) {
  const ports = {};
  for (const [name, fallback] of Object.entries(defaultPorts)) {
    const variable = `APITOPMIX_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}_PORT`;
    const raw = env[variable];
    const value = raw === undefined || raw === '' ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${variable} must be a port number, got "${raw}"`);
    ports[name] = value;
  }
  return ports;
}

/** Asks the kernel for n distinct free ports on loopback. */
async function freePorts(n) {
  const servers = [];
  const ports = [];
  for (let i = 0; i < n; i++) {
    const server = createServer();
    await new Promise((resolve, reject) => server.listen(0, '127.0.0.1', resolve).once('error', reject));
    servers.push(server);
    ports.push(server.address().port);
  }
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

async function randomPorts() {
  const names = Object.keys(defaultPorts);
  const ports = await freePorts(names.length);
  return Object.fromEntries(names.map((name, i) => [name, ports[i]]));
}

/**
 * The process table. `providerKeys` are real provider keys from the caller's environment; every provider without
 * one is routed to the sandbox.
 */
function serviceDefinitions(options) {
  const {
    ports,
    databaseUrl,
    redisUrl,
    kafkaBrokers,
    spoolDir,
    topicPrefix = '',
    consumerGroup = 'billing',
    rateLimitPrefix = 'rl:',
    creditPrefix = 'credit:',
    sandboxKey = 'sandbox-key',
    logLevel = 'info',
    extraEnv = {},
    adminToken,
    // One key for every edge of this platform (addEdge inherits it), so an image URL works on any of them.
    mediaUrlSigningKey = randomBytes(32).toString('base64url'),
  } = options;
  const local = (port) => `127.0.0.1:${port}`;
  const sandboxUrl = `http://127.0.0.1:${ports.sandbox}`;
  const upstreamEnv = {};
  const sandboxed = [];
  const mediaUpstreamEnv = {};
  const route = (list, env) => {
    for (const { prefix, path } of list) {
      const realKey = (options.providerEnv ?? {})[`${prefix}_API_KEY`];
      if (realKey) {
        env[`${prefix}_API_KEY`] = realKey;
        const baseUrl = (options.providerEnv ?? {})[`${prefix}_BASE_URL`];
        if (baseUrl) env[`${prefix}_BASE_URL`] = baseUrl;
      } else {
        env[`${prefix}_BASE_URL`] = `${sandboxUrl}${path}`;
        env[`${prefix}_API_KEY`] = sandboxKey;
        sandboxed.push(prefix);
      }
    }
  };
  route(sandboxProviders, upstreamEnv);
  route(sandboxMediaProviders, mediaUpstreamEnv);
  const common = { LOG_LEVEL: logLevel, ...extraEnv };
  const kafka = { KAFKA_BROKERS: kafkaBrokers, KAFKA_TOPIC_PREFIX: topicPrefix };
  return {
    sandboxed,
    services: [
      {
        name: 'sandbox-provider',
        script: 'dist/sandbox/provider/src/main.js',
        ready: { http: `http://127.0.0.1:${ports.sandbox}/_sandbox/settings` },
        env: { ...common, SANDBOX_PORT: String(ports.sandbox), SANDBOX_API_KEY: sandboxKey },
      },
      {
        name: 'rate-limit',
        script: 'dist/services/rate-limit/src/main.js',
        ready: { grpc: local(ports.rateLimit) },
        env: {
          ...common,
          RATE_LIMIT_GRPC_URL: local(ports.rateLimit),
          REDIS_URL: redisUrl,
          RATE_LIMIT_KEY_PREFIX: rateLimitPrefix,
          METRICS_PORT: String(ports.metricsRateLimit),
        },
      },
      {
        name: 'billing',
        script: 'dist/services/billing/src/main.js',
        ready: { grpc: local(ports.billing) },
        env: {
          ...common,
          ...kafka,
          BILLING_GRPC_URL: local(ports.billing),
          DATABASE_URL: databaseUrl,
          REDIS_URL: redisUrl,
          CREDIT_KEY_PREFIX: creditPrefix,
          BILLING_CONSUMER_GROUP: consumerGroup,
          METRICS_PORT: String(ports.metricsBilling),
        },
      },
      {
        name: 'chat',
        script: 'dist/services/chat/src/main.js',
        ready: { grpc: local(ports.chat) },
        env: {
          // Before `common`, so a test's extraEnv can point it elsewhere.
          USAGE_SPOOL_DIR: join(spoolDir, 'chat'),
          ...common,
          ...kafka,
          ...upstreamEnv,
          CHAT_GRPC_URL: local(ports.chat),
          METRICS_PORT: String(ports.metricsChat),
        },
      },
      {
        name: 'embeddings',
        script: 'dist/services/embeddings/src/main.js',
        ready: { grpc: local(ports.embeddings) },
        env: {
          // Before `common`, so a test's extraEnv can point it elsewhere.
          USAGE_SPOOL_DIR: join(spoolDir, 'embeddings'),
          ...common,
          ...kafka,
          // The same upstreams as chat: the embedding models' providers (OpenAI, Gemini) are among them.
          ...upstreamEnv,
          EMBEDDINGS_GRPC_URL: local(ports.embeddings),
          METRICS_PORT: String(ports.metricsEmbeddings),
        },
      },
      {
        name: 'media-jobs',
        script: 'dist/services/media-jobs/src/main.js',
        ready: { grpc: local(ports.mediaJobs) },
        env: {
          USAGE_SPOOL_DIR: join(spoolDir, 'media-jobs'),
          ...common,
          ...kafka,
          ...mediaUpstreamEnv,
          // Images go to Gemini, configured as for chat (any ROUTING_CONFIG_FILE then finds its keys here too).
          ...upstreamEnv,
          DATABASE_URL: databaseUrl,
          MEDIA_JOBS_GRPC_URL: local(ports.mediaJobs),
          METRICS_PORT: String(ports.metricsMediaJobs),
        },
      },
      {
        name: 'edge',
        script: 'dist/services/edge/src/main.js',
        ready: { http: `http://127.0.0.1:${ports.edge}/readyz` },
        env: {
          ...common,
          EDGE_PORT: String(ports.edge),
          DATABASE_URL: databaseUrl,
          CHAT_GRPC_URL: local(ports.chat),
          RATE_LIMIT_GRPC_URL: local(ports.rateLimit),
          BILLING_GRPC_URL: local(ports.billing),
          EMBEDDINGS_GRPC_URL: local(ports.embeddings),
          MEDIA_JOBS_GRPC_URL: local(ports.mediaJobs),
          // Revocations are broadcast to every edge through Redis.
          REDIS_URL: redisUrl,
          ...(adminToken ? { ADMIN_TOKEN: adminToken } : {}),
          MEDIA_URL_SIGNING_KEY: mediaUrlSigningKey,
          METRICS_PORT: String(ports.metricsEdge),
        },
      },
    ],
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function httpReady(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

function grpcServing(address) {
  const grpc = require('@grpc/grpc-js');
  const { service } = require('grpc-health-check');
  const Client = grpc.makeGenericClientConstructor(service, 'Health');
  const client = new Client(address, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.check({ service: '' }, { deadline: Date.now() + 1_000 }, (error, response) => {
      client.close();
      resolve(!error && (response.status === 'SERVING' || response.status === 1));
    });
  });
}

class ManagedProcess {
  constructor(definition, logDir) {
    this.definition = definition;
    this.logFile = join(logDir, `${definition.name}.log`);
    this.child = undefined;
    this.exited = undefined;
  }

  get name() {
    return this.definition.name;
  }

  start() {
    const out = openSync(this.logFile, 'a');
    this.child = spawn(process.execPath, ['--enable-source-maps', this.definition.script], {
      cwd: repoRoot,
      env: { ...process.env, ...this.definition.env },
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get running() {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async waitReady(timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    const { http, grpc } = this.definition.ready;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited during start-up; see ${this.logFile}`);
      if (http ? await httpReady(http) : await grpcServing(grpc)) return;
      await sleep(150);
    }
    throw new Error(`${this.name} not ready after ${timeoutMs} ms; see ${this.logFile}`);
  }

  /** SIGTERM, then SIGKILL after graceMs. Resolves with how it exited. */
  async stop(graceMs = 15_000) {
    if (!this.running) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.running && this.child.kill('SIGKILL'), graceMs);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }

  async kill() {
    if (!this.running) return this.exited;
    this.child.kill('SIGKILL');
    return this.exited;
  }
}

/**
 * Starts every process in dependency order (peers before the edge) and waits until each reports ready.
 * Returns handles to stop, kill or restart any of them.
 */
async function startPlatform(options) {
  const ports = options.ports ?? portsFromEnv();
  const logDir = options.logDir ?? join(repoRoot, '.local', 'logs');
  mkdirSync(logDir, { recursive: true });
  // Usage waits here while Kafka is away, kept across restarts. One per platform: a test's logDir is its own, so
  // platforms started side by side never share a spool (chat refuses a directory another process holds).
  const spoolDir = options.spoolDir ?? (options.logDir ? join(logDir, 'spool') : join(repoRoot, '.local', 'spool'));
  const { services, sandboxed } = serviceDefinitions({ ...options, ports, spoolDir });
  const processes = new Map(services.map((definition) => [definition.name, new ManagedProcess(definition, logDir)]));
  const backends = [...processes.values()].filter((p) => p.name !== 'edge');
  try {
    for (const p of backends) p.start();
    await Promise.all(backends.map((p) => p.waitReady(options.readyTimeoutMs)));
    const edge = processes.get('edge');
    edge.start();
    await edge.waitReady(options.readyTimeoutMs);
  } catch (error) {
    await Promise.all([...processes.values()].map((p) => p.stop(2_000)));
    throw error;
  }
  return {
    ports,
    sandboxed,
    logDir,
    baseUrl: `http://127.0.0.1:${ports.edge}`,
    sandboxUrl: `http://127.0.0.1:${ports.sandbox}`,
    process: (name) => processes.get(name),
    /**
     * Starts one more edge (as a cluster runs several) against the same services, named `name`, with `env` over the
     * first edge's environment. It is stopped with the rest.
     */
    async addEdge(name, { port, env = {} }) {
      const first = services.find((definition) => definition.name === 'edge');
      // Its own metrics port only if asked for: the first edge's is taken.
      const inherited = Object.fromEntries(Object.entries(first.env).filter(([variable]) => variable !== 'METRICS_PORT'));
      const edgeEnv = { ...inherited, EDGE_PORT: String(port), ...env };
      const edge = new ManagedProcess({ ...first, name, env: edgeEnv, ready: { http: `http://127.0.0.1:${port}/readyz` } }, logDir);
      processes.set(name, edge);
      edge.start();
      await edge.waitReady(options.readyTimeoutMs);
      return { baseUrl: `http://127.0.0.1:${port}`, process: edge };
    },
    /**
     * Starts one more media-jobs replica (its workers share the job table with the first; the edge keeps talking to
     * the first), named `name`, gRPC on `port`, with its own spool directory and `env` over the first's environment.
     * It is stopped with the rest; `process(name)` kills or restarts it.
     */
    async addMediaJobs(name, { port, env = {} }) {
      const first = services.find((definition) => definition.name === 'media-jobs');
      const inherited = Object.fromEntries(Object.entries(first.env).filter(([variable]) => variable !== 'METRICS_PORT'));
      const address = `127.0.0.1:${port}`;
      const replicaEnv = { ...inherited, MEDIA_JOBS_GRPC_URL: address, USAGE_SPOOL_DIR: join(spoolDir, name), ...env };
      const replica = new ManagedProcess({ ...first, name, env: replicaEnv, ready: { grpc: address } }, logDir);
      processes.set(name, replica);
      backends.push(replica);
      replica.start();
      await replica.waitReady(options.readyTimeoutMs);
      return { process: replica };
    },
    async restart(name) {
      const p = processes.get(name);
      await p.stop();
      p.start();
      await p.waitReady(options.readyTimeoutMs);
    },
    /** The edges first, so no new work arrives while the rest finish theirs. */
    async stop() {
      await Promise.all([...processes.values()].filter((p) => !backends.includes(p)).map((p) => p.stop()));
      await Promise.all(backends.map((p) => p.stop()));
    },
  };
}

module.exports = { startPlatform, randomPorts, freePorts, defaultPorts, portsFromEnv, repoRoot };
