// Where the local infrastructure lives and which ports it uses. Every value can be overridden by environment.
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const int = (name, fallback) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return value;
};

// Defaults sit away from 5432/6379/9092 so a PostgreSQL, Redis or Kafka already on the machine is left alone.
export const infra = {
  home: resolve(process.env.APITOPMIX_LOCAL_DIR ?? resolve(repoRoot, '.local')),
  postgres: { port: int('APITOPMIX_PG_PORT', 55432), user: 'apitopmix', password: 'apitopmix', database: 'apitopmix' },
  redis: { port: int('APITOPMIX_REDIS_PORT', 56379) },
  kafka: { port: int('APITOPMIX_KAFKA_PORT', 59092), controllerPort: int('APITOPMIX_KAFKA_CONTROLLER_PORT', 59093) },
};

export function databaseUrl(database = infra.postgres.database) {
  const { user, password, port } = infra.postgres;
  return `postgresql://${user}:${password}@127.0.0.1:${port}/${database}`;
}

export const redisUrl = () => `redis://127.0.0.1:${infra.redis.port}`;
export const kafkaBrokers = () => `127.0.0.1:${infra.kafka.port}`;
