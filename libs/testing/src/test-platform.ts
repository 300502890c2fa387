import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrismaClient, PrismaClient } from '@apitopmix/platform/prisma';

// The launcher is plain CommonJS shared with `npm start` (scripts/lib/platform.js).
// eslint-disable-next-line @typescript-eslint/no-require-imports, @nx/enforce-module-boundaries -- a script, not a library
const launcher = require('../../../scripts/lib/platform.js') as {
  startPlatform(options: Record<string, unknown>): Promise<RunningPlatform>;
  randomPorts(): Promise<Record<string, number>>;
  freePorts(n: number): Promise<number[]>;
};

interface ManagedProcess {
  name: string;
  /** How it is started; a test may change `env` before the next start(). */
  definition: { env: Record<string, string> };
  running: boolean;
  exited: Promise<{ code: number | null; signal: string | null }>;
  start(): void;
  waitReady(timeoutMs?: number): Promise<void>;
  stop(graceMs?: number): Promise<{ code: number | null; signal: string | null }>;
  kill(): Promise<unknown>;
}

export interface RunningPlatform {
  ports: Record<string, number>;
  baseUrl: string;
  sandboxUrl: string;
  logDir: string;
  process(name: string): ManagedProcess;
  restart(name: string): Promise<void>;
  stop(): Promise<void>;
  addEdge(name: string, options: { port: number; env?: Record<string, string> }): Promise<{ baseUrl: string; process: ManagedProcess }>;
  addMediaJobs(name: string, options: { port: number; env?: Record<string, string> }): Promise<{ process: ManagedProcess }>;
}

export interface TestPlatform extends RunningPlatform {
  prisma: PrismaClient;
  /** This run's Kafka topic prefix: `${topicPrefix}usage.events.v1` is its usage topic. */
  topicPrefix: string;
  /** The edge's ADMIN_TOKEN: `Authorization: Bearer <adminToken>` on /admin/v1 (the admin CLI's APITOPMIX_ADMIN_TOKEN). */
  adminToken: string;
  /**
   * One more edge on a free port beside the first, on the same services; `env` overrides its environment (an empty
   * string unsets a variable). Stopped by shutdown().
   */
  startEdge(name: string, env?: Record<string, string>): Promise<{ baseUrl: string; process: ManagedProcess }>;
  /**
   * One more media-jobs replica on a free port (its workers share the job table and queue with the first's; the
   * edge keeps talking to the first); `env` overrides its environment. Stopped by shutdown().
   */
  startMediaJobs(name: string, env?: Record<string, string>): Promise<{ process: ManagedProcess }>;
  shutdown(): Promise<void>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with \`npm test\`, which starts the infrastructure and sets it`);
  return value;
}

/**
 * The whole platform on free ports against the real test infrastructure, isolated from any other run by its own
 * Kafka topic prefix, billing consumer group and Redis key prefix.
 */
export interface TestPlatformOptions {
  extraEnv?: Record<string, string>;
  /** A routing configuration for chat and embeddings (see libs/providers/routing), given the sandbox's base URL. */
  routing?: (sandboxUrl: string) => unknown;
}

export async function startTestPlatform(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  const run = randomBytes(4).toString('hex');
  const databaseUrl = required('TEST_DATABASE_URL');
  const topicPrefix = `test.${run}.`;
  const adminToken = randomBytes(32).toString('base64url');
  const ports = await launcher.randomPorts();
  const logDir = join(__dirname, '../../../.local/logs', `test-${run}`);
  const extraEnv = { ...(options.extraEnv ?? {}) };
  if (options.routing) {
    mkdirSync(logDir, { recursive: true });
    const file = join(logDir, 'routing.json');
    writeFileSync(file, JSON.stringify(options.routing(`http://127.0.0.1:${ports.sandbox}`), null, 2));
    extraEnv.ROUTING_CONFIG_FILE = file;
  }
  const platform = await launcher.startPlatform({
    ports,
    databaseUrl,
    redisUrl: required('TEST_REDIS_URL'),
    kafkaBrokers: required('TEST_KAFKA_BROKERS'),
    topicPrefix,
    consumerGroup: `billing-test-${run}`,
    rateLimitPrefix: `rl:test:${run}:`,
    creditPrefix: `credit:test:${run}:`,
    adminToken,
    logLevel: 'warn',
    logDir,
    providerEnv: {},
    extraEnv,
  });
  const prisma = createPrismaClient(databaseUrl, { poolMax: 5 });
  return {
    ...platform,
    process: platform.process.bind(platform),
    restart: platform.restart.bind(platform),
    stop: platform.stop.bind(platform),
    addEdge: platform.addEdge.bind(platform),
    addMediaJobs: platform.addMediaJobs.bind(platform),
    prisma,
    topicPrefix,
    adminToken,
    async startEdge(name, env = {}) {
      const [port] = await launcher.freePorts(1);
      return platform.addEdge(name, { port, env });
    },
    async startMediaJobs(name, env = {}) {
      const [port] = await launcher.freePorts(1);
      return platform.addMediaJobs(name, { port, env });
    },
    async shutdown() {
      await platform.stop();
      await prisma.$disconnect();
    },
  };
}
