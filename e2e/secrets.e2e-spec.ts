import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestAccount, readTopic, startTestPlatform, TestPlatform } from '@apitopmix/testing';

jest.setTimeout(90_000);

/**
 * A canary key, sent every way a client can send a key (headers, query string, body), valid and not, must appear
 * nowhere the gateway writes: its logs (at debug level), its Kafka messages, its database rows, its error bodies.
 * The sandbox provider stands in for a vendor and is not searched: a vendor sees what a client puts in its prompt.
 */

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform({ extraEnv: { LOG_LEVEL: 'debug' } });
}, 120_000);

afterAll(async () => {
  await platform?.shutdown();
});

it('never writes a key it was sent to logs, Kafka, the database or an error body', async () => {
  const { apiKey: canary } = await createTestAccount(platform.prisma, { tier: 'ENTERPRISE', rpmLimit: 10_000, tpmLimit: 10_000_000 });
  // A key that does not exist, in the same shape.
  const unknown = `${canary.slice(0, -8)}deadbeef`;
  const secrets = [canary, unknown];
  const json = { 'content-type': 'application/json' };
  const chat = (key: string) => JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], api_key: key, user: 'canary-user' });
  const gemini = (key: string) => JSON.stringify({ contents: [{ parts: [{ text: 'hi' }] }], key });
  const bodies: string[] = [];
  for (const key of secrets) {
    const calls: [string, RequestInit][] = [
      ['/v1/chat/completions', { method: 'POST', headers: { ...json, authorization: `Bearer ${key}` }, body: chat(key) }],
      [
        '/v1/chat/completions?stream=1',
        { method: 'POST', headers: { ...json, authorization: `Bearer ${key}` }, body: chat(key).replace('{', '{"stream":true,') },
      ],
      [
        '/v1/messages',
        {
          method: 'POST',
          headers: { ...json, 'x-api-key': key, 'anthropic-version': '2023-06-01' },
          body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }], metadata: { user_id: 'u' }, key }),
        },
      ],
      [`/v1beta/models/gemini-3-pro-preview:generateContent?key=${key}`, { method: 'POST', headers: json, body: gemini(key) }],
      ['/v1beta/models/gemini-3-pro-preview:generateContent', { method: 'POST', headers: { ...json, 'x-goog-api-key': key }, body: gemini(key) }],
      [`/v1/models?key=${key}`, { headers: { authorization: `Bearer ${key}` } }],
      ['/v1/models/not-a-model', { headers: { authorization: `Bearer ${key}` } }],
      ['/v1/chat/completions', { method: 'POST', headers: { ...json, authorization: `Bearer ${key}` }, body: '{"model": "gpt-4.1", "messages": ' + key }],
      ['/v1/usage', { headers: { authorization: `Bearer ${key}` } }],
      ['/admin/v1/accounts', { method: 'POST', headers: { ...json, authorization: `Bearer ${key}` }, body: JSON.stringify({ name: key }) }],
    ];
    for (const [path, init] of calls) {
      const response = await fetch(`${platform.baseUrl}${path}`, init);
      const text = await response.text();
      if (response.status >= 400) bodies.push(text);
      else expect(key).toBe(canary); // only the real key gets answers
    }
  }
  expect(bodies.length).toBeGreaterThan(10);
  for (const body of bodies) for (const secret of secrets) expect(body).not.toContain(secret.slice(7));

  // Let billing write what it will, then search everything the gateway wrote.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const writtenLogs = readdirSync(platform.logDir)
    .filter((file) => file.endsWith('.log') && !file.startsWith('sandbox'))
    .map((file) => [file, readFileSync(join(platform.logDir, file), 'utf8')] as const);
  expect(writtenLogs.map(([file]) => file)).toEqual(expect.arrayContaining(['edge.log', 'chat.log', 'billing.log']));
  expect(writtenLogs.reduce((n, [, text]) => n + text.length, 0)).toBeGreaterThan(1_000); // debug logs were written

  const usage = await readTopic([process.env.TEST_KAFKA_BROKERS!], `${platform.topicPrefix}usage.events.v1`);
  expect(usage.length).toBeGreaterThan(0);
  const kafkaText = usage.map((m) => `${m.key?.toString() ?? ''} ${m.value?.toString() ?? ''} ${JSON.stringify(m.headers ?? {})}`).join('\n');

  const rows = await platform.prisma.$queryRawUnsafe<{ row: string }[]>(
    `SELECT row_to_json(a)::text AS row FROM accounts a
     UNION ALL SELECT row_to_json(k)::text FROM api_keys k
     UNION ALL SELECT row_to_json(l)::text FROM ledger_entries l`,
  );
  const databaseText = rows.map((r) => r.row).join('\n');

  for (const secret of secrets) {
    const body = secret.slice(7); // without the public "sk-atm-" prefix
    for (const [file, text] of writtenLogs) expect({ file, found: text.includes(body) }).toEqual({ file, found: false });
    expect(kafkaText.includes(body)).toBe(false);
    expect(databaseText.includes(body)).toBe(false);
  }
});
