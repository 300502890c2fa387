import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestAccount, startTestPlatform, TestPlatform } from '@apitopmix/testing';

jest.setTimeout(60_000);

/**
 * The spec's JavaScript and cURL examples for chat, Claude Messages, models, Gemini and Vertex, run as written
 * (e2e/spec-examples/) with only the host and the key taken from the environment. The Python ones run in
 * gateway.e2e-spec.ts through the official Python SDKs.
 */

const run = promisify(execFile);
const examples = join(__dirname, 'spec-examples');
let platform: TestPlatform;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  platform = await startTestPlatform();
  const { apiKey } = await createTestAccount(platform.prisma, { tier: 'ENTERPRISE', rpmLimit: 100_000, tpmLimit: 100_000_000 });
  env = { ...process.env, APITOPMIX_BASE_URL: platform.baseUrl, APITOPMIX_API_KEY: apiKey, API_KEY: apiKey };
}, 120_000);

afterAll(async () => {
  await platform?.shutdown();
});

it.each([
  ['chat-completions.mjs', /^Sandbox reply to "Explain quantum computing\.": \w+/],
  ['messages.mjs', /^Sandbox reply to "Explain quantum computing\.": \w+/],
])('runs the JavaScript example %s with node', async (file, printed) => {
  const { stdout } = await run(process.execPath, [join(examples, file)], { env, cwd: examples });
  expect(stdout).toMatch(printed);
});

const json = async (file: string) => JSON.parse((await run('bash', [join(examples, file)], { env })).stdout) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- checked by the assertions

it('runs the cURL chat example', async () => {
  const body = await json('chat-completions.sh');
  expect(body).toMatchObject({ object: 'chat.completion', model: 'gpt-4.1', choices: [{ message: { role: 'assistant', content: expect.any(String) } }] });
});

it('runs the cURL Claude Messages example', async () => {
  const body = await json('messages.sh');
  expect(body).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'text', text: expect.stringMatching(/quantum computing/) }] });
});

it('runs the cURL models example', async () => {
  const body = await json('models.sh');
  expect(body.object).toBe('list');
  expect(body.data.length).toBeGreaterThanOrEqual(50);
});

it.each(['gemini-native.sh', 'vertex.sh'])('runs the cURL Gemini example %s', async (file) => {
  const body = await json(file);
  expect(body).toMatchObject({ candidates: [{ content: { role: 'model', parts: [{ text: expect.stringMatching(/Sandbox reply/) }] }, finishReason: 'STOP' }] });
});
