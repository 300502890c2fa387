#!/usr/bin/env node
// Installs (when missing) and starts the real local infrastructure: PostgreSQL and Redis from Debian's packages,
// Apache Kafka (KRaft, single node) from Maven Central's jars on the machine's Java 17. Idempotent: what already runs
// is left running. Data lives under .local/ in the repository.
//
//   node scripts/infra.mjs up | stop | status
import { existsSync, mkdirSync, readdirSync, writeFileSync, chownSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { infra, repoRoot, databaseUrl } from './lib/infra-config.mjs';
import { log, run, commandExists, spawnDetached, readPid, isAlive, portOpen, waitFor, stopPid } from './lib/proc.mjs';

const isRoot = process.getuid?.() === 0;
let aptUpdated = false;

function aptInstall(...packages) {
  if (!commandExists('apt-get')) throw new Error(`missing ${packages.join(', ')} and no apt-get to install them`);
  const sudo = isRoot ? [] : ['sudo', '-n'];
  const apt = (args) =>
    run(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), ...args], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  if (!aptUpdated) {
    log('apt-get update');
    apt(['update', '-qq']);
    aptUpdated = true;
  }
  log(`apt-get install ${packages.join(' ')}`);
  apt(['install', '-y', '-qq', '--no-install-recommends', ...packages]);
}

// ---------- PostgreSQL ----------
function postgresBin() {
  const base = '/usr/lib/postgresql';
  const find = () => (existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl'))) : []);
  let versions = find();
  if (versions.length === 0) {
    aptInstall('postgresql');
    versions = find();
  }
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return join(base, newest, 'bin');
}

// PostgreSQL refuses to run as root; as root we run it as the `postgres` user that Debian's package creates.
const asPostgres = (command, args) => (isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]);

async function postgresUp(alreadyRunning) {
  const bin = postgresBin();
  const dir = join(infra.home, 'postgres');
  const data = join(dir, 'data');
  const sockets = join(dir, 'run');
  const { port, user, password, database } = infra.postgres;
  mkdirSync(sockets, { recursive: true });
  if (isRoot) {
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
    chownSync(sockets, uid, gid);
  }
  if (!alreadyRunning && !existsSync(join(data, 'PG_VERSION'))) {
    log('initialising PostgreSQL data directory');
    const pwfile = join(dir, 'superuser.pw');
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (isRoot) chownSync(pwfile, postgresIds().uid, postgresIds().gid);
    run(
      ...asPostgres(join(bin, 'initdb'), [
        '-D',
        data,
        '-U',
        'postgres',
        '--pwfile',
        pwfile,
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '-E',
        'UTF8',
        '--no-locale',
      ]),
    );
  }
  if (alreadyRunning) {
    log(`PostgreSQL already listening on ${port}`);
  } else {
    log(`starting PostgreSQL on 127.0.0.1:${port}`);
    run(
      ...asPostgres(join(bin, 'pg_ctl'), [
        '-D',
        data,
        '-l',
        join(dir, 'postgres.log'),
        '-w',
        '-t',
        '60',
        '-o',
        `-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on`,
        'start',
      ]),
    );
  }
  // Over TCP with the superuser's password, so this works whichever checkout started the server.
  const psql = (sql, db = 'postgres') =>
    run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db, '-v', 'ON_ERROR_STOP=1', '-tAc', sql], {
      env: { ...process.env, PGPASSWORD: password },
    }).stdout.trim();
  if (psql(`SELECT 1 FROM pg_roles WHERE rolname = '${user}'`) !== '1') {
    psql(`CREATE ROLE ${user} LOGIN CREATEDB PASSWORD '${password}'`);
  }
  for (const db of [database, `${database}_test`]) {
    if (psql(`SELECT 1 FROM pg_database WHERE datname = '${db}'`) !== '1') psql(`CREATE DATABASE ${db} OWNER ${user}`);
  }
  log(`PostgreSQL ready: ${databaseUrl().replace(/:[^:@/]+@/, ':***@')}`);
}

function postgresIds() {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('no postgres user: install the postgresql package');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

async function postgresStop() {
  const bin = postgresBin();
  const data = join(infra.home, 'postgres', 'data');
  if (!existsSync(join(data, 'postmaster.pid'))) return;
  log('stopping PostgreSQL');
  run(...asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']), { allowFailure: true });
}

// ---------- Redis ----------
async function redisUp(alreadyRunning) {
  if (!commandExists('redis-server')) aptInstall('redis-server');
  const dir = join(infra.home, 'redis');
  const pidFile = join(dir, 'redis.pid');
  mkdirSync(dir, { recursive: true });
  const { port } = infra.redis;
  if (alreadyRunning) {
    log(`Redis already listening on ${port}`);
    return;
  }
  log(`starting Redis on 127.0.0.1:${port}`);
  // Rate-limit state is short-lived by nature: no persistence.
  spawnDetached('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    logFile: join(dir, 'redis.log'),
    pidFile,
  });
  await waitFor('Redis', () => portOpen(port), { timeoutMs: 20_000 });
}

// ---------- Kafka ----------
function kafkaLibs() {
  const libs = join(infra.home, 'kafka', 'libs');
  if (existsSync(libs) && readdirSync(libs).some((f) => f.startsWith('kafka_2.13-'))) return libs;
  if (!commandExists('java')) aptInstall('openjdk-17-jre-headless');
  if (!commandExists('mvn')) aptInstall('maven');
  log('fetching the Apache Kafka broker from Maven Central');
  mkdirSync(libs, { recursive: true });
  run(
    'mvn',
    ['-q', '-B', '-f', join(repoRoot, 'deploy/local/kafka/pom.xml'), 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${libs}`],
    { stdio: 'inherit' },
  );
  return libs;
}

function kafkaConfig(dir) {
  const { port, controllerPort } = infra.kafka;
  const props = join(dir, 'server.properties');
  writeFileSync(
    props,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.bootstrap.servers=127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      `log.dirs=${join(dir, 'data')}`,
      'num.partitions=3',
      'offsets.topic.replication.factor=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'min.insync.replicas=1',
      'auto.create.topics.enable=false',
      'group.initial.rebalance.delay.ms=0',
      // Usage events are money: keep them a week so billing can always replay.
      'log.retention.hours=168',
    ].join('\n') + '\n',
  );
  const log4j = join(dir, 'log4j2.properties');
  writeFileSync(
    log4j,
    [
      'rootLogger.level = WARN',
      'rootLogger.appenderRef.file.ref = file',
      'appender.file.type = File',
      'appender.file.name = file',
      `appender.file.fileName = ${join(dir, 'broker.log')}`,
      'appender.file.layout.type = PatternLayout',
      'appender.file.layout.pattern = [%d] %p %m (%c)%n',
      'logger.kafka.name = kafka.server.KafkaServer',
      'logger.kafka.level = INFO',
      'logger.broker.name = kafka.server.BrokerServer',
      'logger.broker.level = INFO',
    ].join('\n') + '\n',
  );
  return { props, log4j };
}

async function kafkaUp(alreadyRunning) {
  const { port } = infra.kafka;
  const dir = join(infra.home, 'kafka');
  const pidFile = join(dir, 'kafka.pid');
  if (alreadyRunning) {
    log(`Kafka already listening on ${port}`);
    return;
  }
  const libs = kafkaLibs();
  const { props, log4j } = kafkaConfig(dir);
  const classpath = `${libs}/*`;
  if (!existsSync(join(dir, 'data', 'meta.properties'))) {
    log('formatting Kafka storage (KRaft, single node)');
    const clusterId = randomBytes(16).toString('base64url');
    run('java', [
      '-cp',
      classpath,
      `-Dlog4j2.configurationFile=${log4j}`,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId,
      '-c',
      props,
      '--standalone',
      '-g',
    ]);
  }
  log(`starting Kafka on 127.0.0.1:${port}`);
  spawnDetached(
    'java',
    [
      '-Xms256m',
      '-Xmx512m',
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${log4j}`,
      `-Dkafka.logs.dir=${dir}`,
      '-cp',
      classpath,
      'kafka.Kafka',
      props,
    ],
    { logFile: join(dir, 'stdout.log'), pidFile },
  );
  await waitFor(
    'Kafka',
    async () => {
      if (!isAlive(readPid(pidFile))) throw new Error(`Kafka exited during start-up; see ${join(dir, 'broker.log')} and ${join(dir, 'stdout.log')}`);
      return portOpen(port);
    },
    { timeoutMs: 90_000, intervalMs: 300 },
  );
}

async function up() {
  mkdirSync(infra.home, { recursive: true });
  // Probe every port before any set-up step runs: those steps block the event loop (initdb, mvn), which would make
  // a concurrent probe time out and mistake a running server for a missing one.
  const running = {
    postgres: await portOpen(infra.postgres.port),
    redis: await portOpen(infra.redis.port),
    kafka: await portOpen(infra.kafka.port),
  };
  // Kafka's JVM start is the slowest part: begin it while PostgreSQL and Redis come up.
  const kafka = kafkaUp(running.kafka);
  await postgresUp(running.postgres);
  await redisUp(running.redis);
  await kafka;
  log('infrastructure ready');
}

async function stop() {
  await stopPid(join(infra.home, 'kafka', 'kafka.pid'), 30_000);
  await stopPid(join(infra.home, 'redis', 'redis.pid'));
  await postgresStop();
  log('infrastructure stopped');
}

/** Stops the Kafka broker and starts it again on the same data: what the durability tests do to it. */
async function restartKafka() {
  await stopPid(join(infra.home, 'kafka', 'kafka.pid'), 30_000);
  await kafkaUp(false);
  log('Kafka restarted');
}

async function status() {
  const rows = [
    ['postgres', infra.postgres.port],
    ['redis', infra.redis.port],
    ['kafka', infra.kafka.port],
  ];
  for (const [name, port] of rows) log(`${name.padEnd(9)} ${port} ${(await portOpen(port)) ? 'up' : 'down'}`);
}

const commands = { up, stop, status, 'restart-kafka': restartKafka };
const command = process.argv[2] ?? 'up';
if (!commands[command]) {
  console.error(`usage: node scripts/infra.mjs ${Object.keys(commands).join('|')}`);
  process.exit(2);
}
commands[command]().catch((error) => {
  console.error(`[apitopmix] infra ${command} failed: ${error.message}`);
  process.exit(1);
});
