import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestAccount, runPythonExample, startTestPlatform, TestPlatform, waitFor } from '@apitopmix/testing';

jest.setTimeout(60_000);

/**
 * The spec's JavaScript and cURL examples for chat, Claude Messages, models, Gemini, Vertex, images, video and music,
 * run as written (e2e/spec-examples/) with only the host, the key and a task id taken from the environment; and its
 * Python examples for embeddings, images and video (the polling loop). The chat and Claude Python examples run in
 * gateway.e2e-spec.ts.
 */

const run = promisify(execFile);
const examples = join(__dirname, 'spec-examples');
let platform: TestPlatform;
let env: NodeJS.ProcessEnv;
let apiKey: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  ({ apiKey } = await createTestAccount(platform.prisma, { tier: 'ENTERPRISE', rpmLimit: 100_000, tpmLimit: 100_000_000 }));
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

const json = async (file: string, extra: NodeJS.ProcessEnv = {}) =>
  JSON.parse((await run('bash', [join(examples, file)], { env: { ...env, ...extra } })).stdout) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- checked by the assertions

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

it('runs the cURL images example', async () => {
  const body = await json('images.sh');
  expect(body).toMatchObject({ created: expect.any(Number), data: [{ url: expect.stringMatching(/^http/) }] });
  expect((await fetch(body.data[0].url)).headers.get('content-type')).toMatch(/^image\/png/);
});

it('runs the cURL video examples: submit, then poll until SUCCESS', async () => {
  const submitted = await json('video-submit.sh');
  expect(submitted).toMatchObject({ id: expect.any(String), object: 'video', status: 'queued' });
  const done = await waitFor(
    () => json('video-poll.sh', { TASK_ID: submitted.id }),
    (polled) => polled.data?.status === 'SUCCESS' || polled.data?.status === 'FAILURE',
    60_000,
    1_000,
  );
  expect(done).toMatchObject({ code: 'success', data: { status: 'SUCCESS', progress: '100%', data: { output: expect.stringMatching(/^http/) } } });
});

it('runs the cURL music examples: submit, then fetch until completed', async () => {
  const submitted = await json('music-submit.sh');
  expect(submitted).toEqual({ code: 200, message: 'success', data: { task_id: expect.any(String) } });
  const done = await waitFor(
    () => json('music-fetch.sh', { TASK_ID: submitted.data.task_id }),
    (fetched) => fetched.data?.status === 'completed' || fetched.data?.status === 'failed',
    60_000,
    1_000,
  );
  expect(done).toMatchObject({ code: 200, data: { task_id: submitted.data.task_id, status: 'completed' } });
  expect(done.data.tracks[0]).toMatchObject({
    title: expect.any(String),
    audio_url: expect.stringMatching(/^http/),
    duration: expect.any(Number),
    style: 'lo-fi',
  });
});

it.each([
  ['spec_embeddings_example.py', /^Dimensions: 1536$/m],
  ['spec_images_example.py', /^Image: http\S+$/m],
  ['spec_video_example.py', /^Submitted: \S+\n(Status: .*\n)+Video: http\S+$/m],
])(
  "runs the spec's Python example %s as written",
  (script, printed) => {
    expect(runPythonExample(script, { baseUrl: platform.baseUrl, apiKey })).toMatch(printed);
  },
  180_000,
);
