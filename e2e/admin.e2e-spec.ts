// The admin CLI (`npm run -s admin -- …`, run as a subprocess) against a started platform, and what its commands
// change for API clients: keys that work with the OpenAI SDK, allow-lists, expiry, revocation reaching every edge
// within 5 s (broadcast, missed broadcast, Postgres cut off), identical 401s, credit and usage.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server, Socket, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { ledgerRows, startTestPlatform, TestPlatform, waitFor } from '@apitopmix/testing';

jest.setTimeout(60_000);

const repoRoot = join(__dirname, '..');
let platform: TestPlatform;
// The CLI must not find a developer's .local/admin.json: it gets its own, empty, local directory.
const localDir = mkdtempSync(join(tmpdir(), 'apitopmix-admin-'));

beforeAll(async () => {
  platform = await startTestPlatform();
}, 120_000);

afterAll(async () => {
  await platform?.shutdown();
  rmSync(localDir, { recursive: true, force: true });
});

interface CliResult {
  code: number | null;
  // Whatever the CLI printed, parsed: the command's JSON on success, the JSON error on failure.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  stdout: string;
  stderr: string;
}

/** `npm run -s admin -- ...args`, pointed at this test platform by environment. */
function admin(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '-s', 'admin', '--', ...args], {
      cwd: repoRoot,
      env: {
        ...process.env,
        APITOPMIX_LOCAL_DIR: localDir,
        APITOPMIX_BASE_URL: platform.baseUrl,
        APITOPMIX_ADMIN_TOKEN: platform.adminToken,
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      const printed = code === 0 ? stdout : (stderr.trim().split('\n').pop() ?? '');
      let json: unknown;
      try {
        json = JSON.parse(printed);
      } catch {
        json = undefined;
      }
      resolve({ code, json, stdout, stderr });
    });
  });
}

async function ok(args: string[], env?: Record<string, string>) {
  const result = await admin(args, env);
  if (result.code !== 0) throw new Error(`admin ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.json;
}

const openai = (apiKey: string, baseUrl = platform.baseUrl) => new OpenAI({ apiKey, baseURL: `${baseUrl}/v1`, maxRetries: 0 });
const chat = (apiKey: string, model = 'gpt-4.1', content = 'Hello!') =>
  openai(apiKey).chat.completions.create({ model, messages: [{ role: 'user', content }] });
const models = (apiKey: string, baseUrl = platform.baseUrl) => fetch(`${baseUrl}/v1/models`, { headers: { authorization: `Bearer ${apiKey}` } });

/** An account with money and limits high enough for polling, and its first key. */
async function account(extra: string[] = []): Promise<{ accountId: string; keyId: string; apiKey: string }> {
  return ok(['accounts', 'create', '--name', 'e2e admin', '--tier', 'enterprise', '--credit', '10', '--rpm', '100000', '--tpm', '100000000', ...extra]);
}

describe('accounts create', () => {
  it('prints the account and a key that works with the OpenAI SDK; the database holds only its SHA-256 and prefix', async () => {
    const created = await ok(['accounts', 'create', '--name', 'Acme', '--tier', 'standard']);
    expect(created).toMatchObject({
      accountId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      keyId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      apiKey: expect.stringMatching(/^sk-atm-[A-Za-z0-9_-]{48}$/),
      tier: 'standard',
      balance: { usd: '0.00', micros: '0' },
    });
    const ids = [];
    for await (const model of openai(created.apiKey).models.list()) ids.push(model.id);
    expect(ids).toContain('gpt-4.1');
    expect((await models(created.apiKey)).headers.get('x-ratelimit-limit-requests')).toBe('60');

    const row = await platform.prisma.apiKey.findUniqueOrThrow({ where: { id: created.keyId } });
    expect(row.keyHash).toBe(createHash('sha256').update(created.apiKey).digest('hex'));
    expect(row.prefix).toBe(created.apiKey.slice(0, 12));
    const stored = JSON.stringify(await platform.prisma.$queryRaw`SELECT * FROM api_keys WHERE id = ${created.keyId}::uuid`);
    expect(stored).not.toContain(created.apiKey.slice(12));
    // Shown once: listing never shows it again.
    const listed = await ok(['keys', 'list', '--account', created.accountId]);
    expect(JSON.stringify(listed)).not.toContain(created.apiKey.slice(12));
    expect(listed.data).toEqual([expect.objectContaining({ keyId: created.keyId, prefix: created.apiKey.slice(0, 12), status: 'active' })]);
  });

  it('credits the account exactly, writing the CREDIT row in the ledger; custom limits for enterprise', async () => {
    const created = await ok(['accounts', 'create', '--name', 'Big', '--tier', 'enterprise', '--credit', '12.345678', '--rpm', '7', '--tpm', '5000']);
    expect(created.balance).toEqual({ usd: '12.345678', micros: '12345678' });
    const account = await platform.prisma.account.findUniqueOrThrow({ where: { id: created.accountId }, include: { ledgerEntries: true } });
    expect(account.balanceMicros).toBe(12_345_678n);
    expect(account.ledgerEntries).toEqual([expect.objectContaining({ kind: 'CREDIT', amountMicros: 12_345_678n })]);
    const response = await models(created.apiKey);
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('7');
    expect(response.headers.get('x-ratelimit-limit-tokens')).toBe('5000');
  });

  it('refuses custom limits outside enterprise, a float-like credit and a bad tier, with a JSON error and a non-zero exit', async () => {
    const limits = await admin(['accounts', 'create', '--name', 'x', '--tier', 'pro', '--rpm', '5']);
    expect(limits.code).toBe(1);
    expect(limits.json.error).toMatchObject({ type: 'invalid_request_error', param: 'rpmLimit', status: 400 });
    const credit = await admin(['accounts', 'create', '--name', 'x', '--tier', 'pro', '--credit', '1e3']);
    expect(credit.json.error).toMatchObject({ type: 'invalid_request_error', param: 'creditUsd' });
    const tier = await admin(['accounts', 'create', '--name', 'x', '--tier', 'gold']);
    expect([tier.code, tier.json.error.type]).toEqual([2, 'cli_error']);
  });
});

describe('keys create', () => {
  it('--models: the key may call those models only; another model is 403 permission_error', async () => {
    const { accountId } = await account();
    const key = await ok(['keys', 'create', '--account', accountId, '--name', 'gpt only', '--models', 'gpt-4.1']);
    expect(key).toMatchObject({ name: 'gpt only', allowedModels: ['gpt-4.1'], apiKey: expect.stringMatching(/^sk-atm-/) });
    expect((await chat(key.apiKey, 'gpt-4.1')).choices[0].message.content).toMatch(/Sandbox reply/);
    const refused = await chat(key.apiKey, 'claude-sonnet-4-6').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((refused as InstanceType<typeof OpenAI.PermissionDeniedError>).error).toMatchObject({ type: 'permission_error', param: 'model' });
  });

  it('refuses an unknown model in the allow-list', async () => {
    const { accountId } = await account();
    const result = await admin(['keys', 'create', '--account', accountId, '--models', 'gpt-4.1,no-such-model']);
    expect(result.json.error).toMatchObject({ type: 'invalid_request_error', param: 'allowedModels.1', status: 400 });
  });

  it('--expires in the past: the key is refused with 401; in the future it works', async () => {
    const { accountId } = await account();
    const past = await ok(['keys', 'create', '--account', accountId, '--expires', new Date(Date.now() - 60_000).toISOString()]);
    const future = await ok(['keys', 'create', '--account', accountId, '--expires', '2999-01-01']);
    expect((await models(past.apiKey)).status).toBe(401);
    expect((await models(future.apiKey)).status).toBe(200);
    const listed = await ok(['keys', 'list', '--account', accountId]);
    expect(Object.fromEntries(listed.data.map((k: { keyId: string; status: string }) => [k.keyId, k.status]))).toMatchObject({
      [past.keyId]: 'expired',
      [future.keyId]: 'active',
    });
  });

  it('answers 404 for an unknown account', async () => {
    const result = await admin(['keys', 'create', '--account', '00000000-0000-4000-8000-000000000000']);
    expect(result.json.error).toMatchObject({ type: 'not_found_error', status: 404 });
  });
});

describe('401s reveal nothing', () => {
  it('unknown, revoked and expired keys get byte-identical bodies and the same headers (but the date) on every dialect', async () => {
    const { accountId } = await account();
    const revoked = await ok(['keys', 'create', '--account', accountId]);
    await ok(['keys', 'revoke', revoked.keyId]);
    const expired = await ok(['keys', 'create', '--account', accountId, '--expires', '2020-01-01T00:00:00Z']);
    const unknown = `sk-atm-${'A'.repeat(48)}`;
    const requests: [string, (key: string) => RequestInit][] = [
      ['/v1/chat/completions', (key) => ({ method: 'POST', headers: { authorization: `Bearer ${key}` }, body: '{"model":"gpt-4.1","messages":[]}' })],
      ['/v1/messages', (key) => ({ method: 'POST', headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' }, body: '{}' })],
      ['/v1beta/models/gemini-3-flash-preview:generateContent', (key) => ({ method: 'POST', headers: { 'x-goog-api-key': key }, body: '{}' })],
      ['/v1/models', (key) => ({ headers: { authorization: `Bearer ${key}` } })],
      ['/v1/usage', (key) => ({ headers: { authorization: `Bearer ${key}` } })],
    ];
    for (const [path, init] of requests) {
      const answers = [];
      for (const key of [unknown, revoked.apiKey, expired.apiKey]) {
        const response = await fetch(`${platform.baseUrl}${path}`, init(key));
        const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== 'date'));
        answers.push({ status: response.status, headers, body: Buffer.from(await response.arrayBuffer()).toString('hex') });
      }
      expect(answers[0].status).toBe(401);
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
      expect(answers[0].headers['x-request-id']).toBeUndefined();
    }
  });
});

describe('keys revoke', () => {
  it('stops the key on every edge within 5 s: at once where the broadcast arrives, by cache expiry where it does not', async () => {
    // edge: revokes (evicts locally); edge-2: hears the broadcast; edge-deaf: listens on another channel, so only
    // its cache's expiry stops the key. Both extra edges keep answers for the longest TTL allowed (4 s).
    const [metricsPort] = await freePorts(1);
    const second = await platform.startEdge('edge-2', { KEY_CACHE_TTL_MS: '4000', METRICS_PORT: String(metricsPort) });
    const deaf = await platform.startEdge('edge-deaf', { KEY_CACHE_TTL_MS: '4000', KEY_REVOCATION_CHANNEL: 'apitopmix:test:nobody-publishes-here' });
    const { apiKey, keyId } = await account();
    const edges = { edge: platform.baseUrl, 'edge-2': second.baseUrl, 'edge-deaf': deaf.baseUrl };
    // Warm caches: every edge has just read the key, so each would trust it for another 4 s.
    for (const url of Object.values(edges)) expect((await models(apiKey, url)).status).toBe(200);

    const revocationsReceived = async () => {
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      return Number(/^edge_key_revocations_received_total(?:\{[^}]*\})? (\d+)/m.exec(metrics)?.[1]);
    };
    const receivedBefore = await revocationsReceived();
    expect(receivedBefore).toBeGreaterThanOrEqual(0);

    const stopped: Record<string, number> = {};
    const polling = Object.entries(edges).map(async ([name, url]) => {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const status = (await models(apiKey, url)).status;
        if (status !== 200) {
          expect(status).toBe(401);
          stopped[name] = Date.now();
          return;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    });
    const revoked = await ok(['keys', 'revoke', keyId]);
    const answeredAt = Date.now();
    await Promise.all(polling);
    expect(revoked).toMatchObject({ keyId, alreadyRevoked: false, broadcast: true });
    const revokedAt = new Date(revoked.revokedAt).getTime();
    const latency = Object.fromEntries(Object.entries(stopped).map(([name, at]) => [name, at - revokedAt]));
    process.stdout.write(`revocation latency after revoked_at, ms: ${JSON.stringify(latency)} (CLI returned after ${answeredAt - revokedAt} ms)\n`);
    expect(Object.keys(stopped).sort()).toEqual(['edge', 'edge-2', 'edge-deaf']);
    for (const ms of Object.values(latency)) expect(ms).toBeLessThan(5_000);
    // The broadcast, not the 4 s expiry, stopped it on edge-2.
    expect(await revocationsReceived()).toBeGreaterThan(receivedBefore);
    expect(latency['edge-2']).toBeLessThan(1_500);
    // A second revocation changes nothing and says so.
    expect(await ok(['keys', 'revoke', keyId])).toMatchObject({ revokedAt: revoked.revokedAt, alreadyRevoked: true });
  });

  it('stops the key within 5 s on an edge that has lost Postgres and hears no broadcast (stale entries are bounded)', async () => {
    const proxy = await TcpProxy.start(new URL(process.env.TEST_DATABASE_URL!).port || '5432');
    try {
      const databaseUrl = new URL(process.env.TEST_DATABASE_URL!);
      databaseUrl.port = String(proxy.port);
      const cut = await platform.startEdge('edge-cut', {
        DATABASE_URL: databaseUrl.toString(),
        KEY_CACHE_TTL_MS: '1000',
        KEY_REVOCATION_CHANNEL: 'apitopmix:test:nobody-publishes-here',
      });
      const { apiKey, keyId } = await account();
      expect((await models(apiKey, cut.baseUrl)).status).toBe(200);
      const readAt = Date.now();
      proxy.cut();
      const revoked = await ok(['keys', 'revoke', keyId]);
      const answers: { sentAt: number; status: number }[] = [];
      while (Date.now() - readAt < 8_000) {
        const sentAt = Date.now();
        const status = (await models(apiKey, cut.baseUrl)).status;
        answers.push({ sentAt, status });
        if (status !== 200) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const stopped = answers.at(-1)!;
      const lastServed = answers.filter((a) => a.status === 200).at(-1)!;
      const latency = stopped.sentAt - new Date(revoked.revokedAt).getTime();
      process.stdout.write(
        `revocation on an edge without Postgres or broadcast: refused ${latency} ms after revoked_at; last served from a read ${lastServed.sentAt - readAt} ms old\n`,
      );
      // Served from the stale entry while Postgres was away, then refused: 503, as the edge cannot check any key now.
      expect(stopped.status).toBe(503);
      // The edge's read began before readAt: nothing sent 5 s after it may have been served.
      expect(lastServed.sentAt - readAt).toBeLessThan(5_000);
      expect(latency).toBeLessThan(5_000);
      proxy.restore();
      await waitFor(
        async () => (await models(apiKey, cut.baseUrl)).status,
        (status) => status === 401,
        10_000,
        100,
      );
    } finally {
      await proxy.close();
    }
  });

  it('answers 404 for an unknown key id', async () => {
    const result = await admin(['keys', 'revoke', '00000000-0000-4000-8000-000000000000']);
    expect([result.code, result.json.error.type, result.json.error.status]).toEqual([1, 'not_found_error', 404]);
  });
});

describe('credit and usage', () => {
  it('credit add moves the balance exactly once per idempotency key, and GET /v1/usage shows it', async () => {
    const { accountId, apiKey } = await account();
    const first = await ok(['credit', 'add', '--account', accountId, '--usd', '5.5', '--idempotency-key', `e2e-${accountId}`]);
    expect(first).toMatchObject({ credited: { usd: '5.50', micros: '5500000' }, balance: { usd: '15.50', micros: '15500000' }, applied: true });
    const again = await ok(['credit', 'add', '--account', accountId, '--usd', '5.5', '--idempotency-key', `e2e-${accountId}`]);
    expect(again).toMatchObject({ balance: { micros: '15500000' }, applied: false });
    const conflict = await admin(['credit', 'add', '--account', accountId, '--usd', '6', '--idempotency-key', `e2e-${accountId}`]);
    expect(conflict.json.error).toMatchObject({ type: 'invalid_request_error', param: 'idempotencyKey' });
    await ok(['credit', 'add', '--account', accountId, '--usd', '0.000001']);

    const response = await fetch(`${platform.baseUrl}/v1/usage`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('100000');
    expect(await response.json()).toMatchObject({ object: 'usage', account_id: accountId, balance: { usd: '15.500001', micros: '15500001' }, data: [] });
  });

  it('usage totals requests, tokens and cost per model and day once the ledger has the calls', async () => {
    const { accountId, apiKey } = await account();
    const calls = [await chat(apiKey, 'gpt-4.1', 'one'), await chat(apiKey, 'gpt-4.1', 'two two'), await chat(apiKey, 'claude-sonnet-4-6', 'three')];
    const rows = await waitFor(
      () => ledgerRows(platform.prisma, accountId),
      (r) => r.length === 3,
      15_000,
    );
    const cost = (model: string) => rows.filter((r) => r.model === model).reduce((sum, r) => sum - r.amountMicros, 0n);
    const tokens = (model: string, field: 'prompt_tokens' | 'completion_tokens') =>
      calls.filter((c) => c.model === model).reduce((sum, c) => sum + (c.usage?.[field] ?? 0), 0);
    const today = new Date().toISOString().slice(0, 10);
    const totalCost = cost('gpt-4.1') + cost('claude-sonnet-4-6');
    expect(totalCost).toBeGreaterThan(0n);

    const report = await ok(['usage', '--account', accountId]);
    expect(report).toMatchObject({
      accountId,
      balance: { micros: String(10_000_000n - totalCost) },
      total: { requests: 3, cost: { micros: String(totalCost) } },
    });
    expect(report.data).toEqual([
      {
        date: today,
        model: 'claude-sonnet-4-6',
        requests: 1,
        inputTokens: tokens('claude-sonnet-4-6', 'prompt_tokens'),
        outputTokens: tokens('claude-sonnet-4-6', 'completion_tokens'),
        cost: { usd: expect.any(String), micros: String(cost('claude-sonnet-4-6')) },
      },
      {
        date: today,
        model: 'gpt-4.1',
        requests: 2,
        inputTokens: tokens('gpt-4.1', 'prompt_tokens'),
        outputTokens: tokens('gpt-4.1', 'completion_tokens'),
        cost: { usd: expect.any(String), micros: String(cost('gpt-4.1')) },
      },
    ]);

    // The client sees the same numbers for its own account, in the /v1 API's snake_case.
    const own = (await (await fetch(`${platform.baseUrl}/v1/usage`, { headers: { authorization: `Bearer ${apiKey}` } })).json()) as {
      data: { model: string; input_tokens: number }[];
    };
    expect(own).toMatchObject({ balance: report.balance, total: { requests: 3, input_tokens: report.total.inputTokens, cost: report.total.cost } });
    expect(own.data.map((d) => [d.model, d.input_tokens])).toEqual(report.data.map((d: { model: string; inputTokens: number }) => [d.model, d.inputTokens]));
    // ?since= after today: nothing; a date that is not one: 400.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(await ok(['usage', '--account', accountId, '--since', tomorrow])).toMatchObject({ total: { requests: 0 }, data: [] });
    const bad = await fetch(`${platform.baseUrl}/v1/usage?since=yesterday`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect([bad.status, ((await bad.json()) as { error: { param: string } }).error.param]).toEqual([400, 'since']);
  });
});

describe('the admin API itself', () => {
  it('refuses a wrong admin token with 401 in OpenAI shape', async () => {
    const result = await admin(['keys', 'list', '--account', '00000000-0000-4000-8000-000000000000'], { APITOPMIX_ADMIN_TOKEN: 'x'.repeat(43) });
    expect([result.code, result.json.error.type, result.json.error.status]).toEqual([1, 'authentication_error', 401]);
    const noToken = await fetch(`${platform.baseUrl}/admin/v1/accounts`, { method: 'POST', body: '{}' });
    expect(noToken.status).toBe(401);
  });

  it('does not exist (404, as any unknown URL) on an edge without ADMIN_TOKEN', async () => {
    const closed = await platform.startEdge('edge-no-admin', { ADMIN_TOKEN: '' });
    const response = await fetch(`${closed.baseUrl}/admin/v1/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platform.adminToken}` },
      body: '{"name":"x","tier":"pro"}',
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { message: 'Unknown request URL: POST /admin/v1/accounts.', type: 'not_found_error', param: null, code: 'unknown_url' },
    });
  });

  it('the CLI finds the base URL and token in .local/admin.json, as `npm start` leaves them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apitopmix-admin-file-'));
    try {
      writeFileSync(join(dir, 'admin.json'), JSON.stringify({ baseUrl: platform.baseUrl, adminToken: platform.adminToken }));
      const created = await ok(['accounts', 'create', '--name', 'from file', '--tier', 'free'], {
        APITOPMIX_LOCAL_DIR: dir,
        APITOPMIX_BASE_URL: '',
        APITOPMIX_ADMIN_TOKEN: '',
      });
      expect(created.apiKey).toMatch(/^sk-atm-/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Server>((resolve) => {
          const server = createServer();
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** A TCP proxy to Postgres that a test can cut (connections dropped, new ones refused) and restore. */
class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private server?: Server;

  private constructor(
    private readonly target: number,
    public port: number,
  ) {}

  static async start(target: string): Promise<TcpProxy> {
    const proxy = new TcpProxy(Number(target), 0);
    await proxy.listen();
    return proxy;
  }

  private async listen(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  cut(): void {
    this.server?.close();
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): Promise<void> {
    return this.listen();
  }

  async close(): Promise<void> {
    this.cut();
  }
}
