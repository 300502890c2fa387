import Redis from 'ioredis';
import { WaveFile } from 'wavefile';
import { mediaJobChargeEventId, MediaJobUpdate, mediaJobUpdateSchema, topicName, topics } from '@apitopmix/contracts';
import { createTestAccount, ledgerRows, readTopic, startTestPlatform, TestPlatform, waitFor } from '@apitopmix/testing';

jest.setTimeout(180_000);

/**
 * Video and music as durable asynchronous jobs: stored before the client hears the id, run by leased workers,
 * every state change on media.job-updates.v1, billed once on success (per second of video, per track), never on
 * failure, with the credit held for the job released either way; and, with two media-jobs replicas of which one is
 * SIGKILLed mid-job, every job of a batch finishes exactly once, is submitted upstream once and billed once.
 */

const TASK_MS = 1_500;

let platform: TestPlatform;
let redis: Redis;

beforeAll(async () => {
  platform = await startTestPlatform({
    extraEnv: {
      // Fast jobs: the sandbox's tasks take TASK_MS; workers poll every 100 ms (backing off to 400 ms), hold a
      // job 2.5 s after their last write, and publish job updates every 100 ms.
      SANDBOX_MEDIA_TASK_MS: String(TASK_MS),
      JOB_POLL_INTERVAL_MS: '100',
      JOB_POLL_MAX_INTERVAL_MS: '400',
      JOB_UPSTREAM_TIMEOUT_MS: '1000',
      JOB_LEASE_MS: '2500',
      JOB_OUTBOX_INTERVAL_MS: '100',
    },
  });
  redis = new Redis(required('TEST_REDIS_URL'), { lazyConnect: false });
}, 120_000);

afterAll(async () => {
  redis?.disconnect();
  await platform?.shutdown();
});

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const enterprise = { tier: 'ENTERPRISE' as const, rpmLimit: 100_000, tpmLimit: 100_000_000, balanceMicros: 100_000_000n };

interface Call {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function call(method: 'GET' | 'POST', path: string, apiKey?: string, body?: unknown): Promise<Call> {
  const response = await fetch(`${platform.baseUrl}${path}`, {
    method,
    headers: { ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

interface VideoTask {
  task_id: string;
  status: string;
  progress: string;
  fail_reason?: string;
  data?: { output: string; duration: number };
}

/** Polls GET /v1/videos/{id} until it ends, returning every state seen. */
async function pollVideo(id: string, apiKey: string, timeoutMs = 30_000): Promise<VideoTask[]> {
  const seen: VideoTask[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await call('GET', `/v1/videos/${id}`, apiKey);
    expect(status).toBe(200);
    expect(body.code).toBe('success');
    const task = body.data as VideoTask;
    seen.push(task);
    if (task.status === 'SUCCESS' || task.status === 'FAILURE') return seen;
    if (Date.now() > deadline) throw new Error(`video ${id} did not finish: ${JSON.stringify(seen.at(-1))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The credit gate's reservations of an account: reservation id → micro-USD. */
async function reservations(accountId: string): Promise<Record<string, bigint>> {
  const keys = await redis.keys(`credit:test:*{${accountId}}`);
  const held: Record<string, bigint> = {};
  for (const key of keys) {
    for (const [field, value] of Object.entries(await redis.hgetall(key))) if (field.startsWith('x:')) held[field.slice(2)] = BigInt(value);
  }
  return held;
}

async function jobUpdates(): Promise<MediaJobUpdate[]> {
  const messages = await readTopic(required('TEST_KAFKA_BROKERS').split(','), topicName(topics.mediaJobUpdates, platform.topicPrefix));
  return messages.map((message) => mediaJobUpdateSchema.parse(JSON.parse(message.value!.toString('utf8'))));
}

async function sandboxMedia(settings: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${platform.sandboxUrl}/_sandbox/media`, { method: 'PUT', body: JSON.stringify(settings) });
  if (response.status !== 200) throw new Error(`sandbox media settings refused: ${await response.text()}`);
}

async function sandboxTasks(): Promise<{ id: string; kind: string; prompt: string }[]> {
  return ((await (await fetch(`${platform.sandboxUrl}/_sandbox/media/tasks`)).json()) as { tasks: { id: string; kind: string; prompt: string }[] }).tasks;
}

it('video: queued → in progress (with progress) → SUCCESS with data.output, billed 8,000 ms at $0.030/s once, the credit held until then', async () => {
  const { accountId, apiKey } = await createTestAccount(platform.prisma, enterprise);
  const prompt = `a golden retriever on a beach ${Date.now()}`;
  // Two refused submissions first (nothing created upstream): the job stays queued meanwhile, then goes on.
  await sandboxMedia({ submitFault: { status: 503, times: 2 } });

  const submitted = await call('POST', '/v1/videos', apiKey, { model: 'grok-video-3', prompt });
  expect(submitted.status).toBe(200);
  expect(submitted.body).toMatchObject({ object: 'video', status: 'queued' });
  const id = submitted.body.id as string;
  expect(id).toMatch(/^task_[A-Za-z0-9]{24}$/);
  const requestId = submitted.headers.get('x-request-id')!;
  expect(submitted.headers.get('x-ratelimit-limit-requests')).toBe('100000');

  // Stored before the answer: the row is there, whatever the worker has done since.
  expect(await platform.prisma.mediaJob.findUnique({ where: { id } })).toMatchObject({ kind: 'VIDEO', accountId, requestId, model: 'grok-video-3' });
  // The most the job can cost is held for it: 8 s × $0.030.
  expect((await reservations(accountId))[requestId]).toBe(240_000n);

  const first = await call('GET', `/v1/videos/${id}`, apiKey);
  expect((first.body.data as VideoTask).status).toBe('QUEUED');
  const seen = await pollVideo(id, apiKey);
  const inProgress = seen.filter((task) => task.status === 'IN_PROGRESS').map((task) => Number(task.progress.replace('%', '')));
  expect(inProgress.some((progress) => progress > 0 && progress < 100)).toBe(true);
  const done = seen.at(-1)!;
  expect(done).toMatchObject({ task_id: id, status: 'SUCCESS', progress: '100%', data: { duration: 8 } });

  // The output is a real file.
  const video = await fetch(done.data!.output);
  expect(video.headers.get('content-type')).toBe('video/mp4');
  expect(
    Buffer.from(await video.arrayBuffer())
      .subarray(4, 8)
      .toString('latin1'),
  ).toBe('ftyp');

  const [row] = await waitFor(
    () => ledgerRows(platform.prisma, accountId),
    (rows) => rows.length === 1,
    15_000,
  );
  expect(row).toMatchObject({
    eventId: mediaJobChargeEventId(id),
    requestId,
    model: 'grok-video-3',
    provider: 'xai-video',
    unit: 'second',
    quantity: 8_000n,
    unitPriceMicros: 30_000n,
    amountMicros: -240_000n,
    inputTokens: 0,
    outputTokens: 0,
  });
  await waitFor(
    () => reservations(accountId),
    (held) => !(requestId in held),
    10_000,
  );
  const account = await platform.prisma.account.findUniqueOrThrow({ where: { id: accountId } });
  expect(account.balanceMicros).toBe(100_000_000n - 240_000n);

  // Every state change went out on the versioned topic, in order.
  const updates = (await jobUpdates()).filter((update) => update.jobId === id);
  const versions = [...new Map(updates.map((u) => [u.version, u])).values()].sort((a, b) => a.version - b.version);
  expect(versions.map((u) => u.version)).toEqual(versions.map((_, i) => i + 1));
  expect(versions[0]).toMatchObject({ status: 'queued', progress: 0, requestId });
  expect(versions.at(-1)).toMatchObject({ status: 'succeeded', progress: 100, usage: { unit: 'second', quantity: 8 } });
  expect(versions.slice(1, -1).every((u) => u.status === 'in_progress')).toBe(true);

  // Submitted upstream once, after the two refusals.
  expect((await sandboxTasks()).filter((task) => task.prompt === prompt)).toHaveLength(1);
});

it('music: submit answers {code: 200, data: {task_id}}; fetch answers tracks with a downloadable WAV; billed per track', async () => {
  const { accountId, apiKey } = await createTestAccount(platform.prisma, enterprise);
  const submitted = await call('POST', '/suno/submit/music', apiKey, {
    prompt: 'A dreamy lo-fi beat with soft piano and rain sounds',
    style: 'lo-fi',
    title: 'Rainy Afternoon',
    make_instrumental: true,
  });
  expect(submitted.status).toBe(200);
  expect(submitted.body).toEqual({ code: 200, message: 'success', data: { task_id: expect.stringMatching(/^suno_[A-Za-z0-9]{24}$/) } });
  const id = (submitted.body.data as { task_id: string }).task_id;
  const requestId = submitted.headers.get('x-request-id')!;
  expect((await reservations(accountId))[requestId]).toBe(80_000n);

  const statuses = new Set<string>();
  const done = await waitFor(
    async () => {
      const { status, body } = await call('GET', `/suno/fetch/${id}`, apiKey);
      expect([status, body.code]).toEqual([200, 200]);
      const data = body.data as { status: string };
      statuses.add(data.status);
      return data as { task_id: string; status: string; tracks?: { title: string; audio_url: string; duration: number; style: string }[] };
    },
    (data) => data.status === 'completed' || data.status === 'failed',
    30_000,
    100,
  );
  expect(statuses.has('processing')).toBe(true);
  expect(done).toMatchObject({ task_id: id, status: 'completed' });
  expect(done.tracks).toHaveLength(2);
  expect(done.tracks![0]).toEqual({ title: 'Rainy Afternoon', audio_url: expect.stringMatching(/^http/), duration: 2, style: 'lo-fi' });

  const audio = await fetch(done.tracks![0].audio_url);
  expect(audio.headers.get('content-type')).toBe('audio/wav');
  const wav = new WaveFile(Buffer.from(await audio.arrayBuffer()));
  expect(wav.container).toBe('RIFF');
  expect(wav.fmt).toMatchObject({ sampleRate: 8_000, numChannels: 1, bitsPerSample: 16 });

  const [row] = await waitFor(
    () => ledgerRows(platform.prisma, accountId),
    (rows) => rows.length === 1,
    15_000,
  );
  expect(row).toMatchObject({ eventId: mediaJobChargeEventId(id), requestId, model: 'suno-v5', unit: 'track', quantity: 2n, amountMicros: -80_000n });
  await waitFor(
    () => reservations(accountId),
    (held) => !(requestId in held),
    10_000,
  );
});

it('a failing task ends in FAILURE with fail_reason: no ledger row, nothing charged, the reservation released', async () => {
  const { accountId, apiKey } = await createTestAccount(platform.prisma, enterprise);
  const submitted = await call('POST', '/v1/videos', apiKey, {
    model: 'grok-video-3',
    prompt: 'please sandbox:fail this one',
    duration: 5,
    resolution: '720p',
  });
  expect(submitted.status).toBe(200);
  const id = submitted.body.id as string;
  const requestId = submitted.headers.get('x-request-id')!;
  expect((await reservations(accountId))[requestId]).toBe(150_000n);

  const done = (await pollVideo(id, apiKey)).at(-1)!;
  expect(done).toMatchObject({ status: 'FAILURE', fail_reason: expect.stringMatching(/asked to fail/) });
  expect(done.data).toBeUndefined();

  // Billing consumed the failure: the credit is free again at once (not at its 30-minute expiry)...
  await waitFor(
    () => reservations(accountId),
    (held) => !(requestId in held),
    10_000,
  );
  // ...and charged nothing, now or later.
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(await ledgerRows(platform.prisma, accountId)).toEqual([]);
  expect((await platform.prisma.account.findUniqueOrThrow({ where: { id: accountId } })).balanceMicros).toBe(100_000_000n);
  expect((await jobUpdates()).filter((u) => u.jobId === id).at(-1)).toMatchObject({ status: 'failed', failReason: expect.stringMatching(/asked to fail/) });
});

it('answers errors in each endpoint’s shape, and shows a job to its own account only', async () => {
  const { apiKey } = await createTestAccount(platform.prisma, enterprise);
  const other = await createTestAccount(platform.prisma, enterprise);

  const tooLong = await call('POST', '/v1/videos', apiKey, { model: 'grok-video-3', prompt: 'x', duration: 20 });
  expect(tooLong.status).toBe(400);
  expect(tooLong.body).toEqual({
    error: { message: expect.stringMatching(/from 5 to 15 seconds/), type: 'invalid_request_error', param: 'duration', code: 'invalid_request' },
  });
  expect((await call('POST', '/v1/videos', apiKey, { model: 'grok-video-3', prompt: 'x', aspect_ratio: '4:3' })).body.error).toMatchObject({
    param: 'aspect_ratio',
  });
  expect((await call('POST', '/v1/videos', apiKey, { model: 'no-such-video', prompt: 'x' })).status).toBe(404);
  expect((await call('POST', '/v1/videos', undefined, { model: 'grok-video-3', prompt: 'x' })).body.error).toMatchObject({ type: 'authentication_error' });

  const noPrompt = await call('POST', '/suno/submit/music', apiKey, { style: 'jazz' });
  expect(noPrompt.status).toBe(400);
  expect(noPrompt.body).toEqual({ code: 400, message: "Missing required parameter: 'prompt'.", data: null });
  const noKey = await call('GET', '/suno/fetch/suno_x', undefined);
  expect([noKey.status, noKey.body.code, noKey.body.data]).toEqual([401, 401, null]);
  expect(await call('GET', '/suno/fetch/suno_doesnotexist', apiKey)).toMatchObject({ status: 404, body: { code: 404, data: null } });

  const video = await call('POST', '/v1/videos', apiKey, { model: 'grok-video-3', prompt: 'mine alone' });
  const id = video.body.id as string;
  expect((await call('GET', `/v1/videos/${id}`, other.apiKey)).status).toBe(404);
  expect((await call('GET', `/suno/fetch/${id}`, apiKey)).status).toBe(404);
  expect((await call('GET', `/v1/videos/${id}`, apiKey)).status).toBe(200);
  await pollVideo(id, apiKey);
});

it('two replicas, one SIGKILLed mid-job and restarted: ten video and ten music jobs each end SUCCESS once, submitted upstream once, billed once', async () => {
  const { accountId, apiKey } = await createTestAccount(platform.prisma, enterprise);
  // Long enough tasks that the kill lands while both replicas hold jobs; each replica owns at most 10.
  await sandboxMedia({ taskMs: 4_000 });
  const replicaEnv = { JOB_WORKER_ID: 'replica-2', JOB_CONCURRENCY: '10' };
  const replica = await platform.startMediaJobs('media-jobs-2', replicaEnv);
  const first = platform.process('media-jobs');
  first.definition.env.JOB_CONCURRENCY = '10';
  await platform.restart('media-jobs');

  const batch = `batch-${Date.now()}`;
  const submissions = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? call('POST', '/v1/videos', apiKey, { model: 'grok-video-3', prompt: `${batch} #${i}`, duration: 5 })
        : call('POST', '/suno/submit/music', apiKey, { prompt: `${batch} #${i}`, style: 'jazz' }),
    ),
  );
  expect(submissions.map((s) => s.status)).toEqual(Array(20).fill(200));
  const ids = submissions.map((s, i) => (i % 2 === 0 ? (s.body.id as string) : (s.body.data as { task_id: string }).task_id));
  const videoIds = ids.filter((_, i) => i % 2 === 0);
  const musicIds = ids.filter((_, i) => i % 2 === 1);

  // Wait until every job is submitted upstream and the replica holds some of them, then kill it without warning.
  const owned = await waitFor(
    () => platform.prisma.mediaJob.findMany({ where: { id: { in: ids } }, select: { id: true, upstreamTaskId: true, leaseOwner: true, status: true } }),
    (jobs) => jobs.every((job) => job.upstreamTaskId !== null) && jobs.some((job) => job.leaseOwner?.startsWith('replica-2/') && job.status === 'IN_PROGRESS'),
    20_000,
  );
  const orphaned = owned.filter((job) => job.leaseOwner?.startsWith('replica-2/')).map((job) => job.id);
  expect(orphaned.length).toBeGreaterThan(0);
  await replica.process.kill();
  expect(replica.process.running).toBe(false);
  // Unfinished when their owner died: whoever finishes them took them over.
  const atKill = await platform.prisma.mediaJob.findMany({ where: { id: { in: orphaned } }, select: { status: true } });
  expect(atKill.every((job) => job.status === 'IN_PROGRESS')).toBe(true);

  // Its jobs are taken over by the other replica once their leases expire; it comes back meanwhile.
  await new Promise((resolve) => setTimeout(resolve, 500));
  replica.process.start();
  await replica.process.waitReady();

  const finished = await waitFor(
    () => platform.prisma.mediaJob.findMany({ where: { id: { in: ids } }, select: { id: true, status: true, version: true } }),
    (jobs) => jobs.every((job) => job.status === 'SUCCEEDED' || job.status === 'FAILED'),
    60_000,
    200,
  );
  expect(finished.map((job) => job.status)).toEqual(Array(20).fill('SUCCEEDED'));
  for (const id of videoIds) expect(((await call('GET', `/v1/videos/${id}`, apiKey)).body.data as VideoTask).status).toBe('SUCCESS');
  for (const id of musicIds) expect(((await call('GET', `/suno/fetch/${id}`, apiKey)).body.data as { status: string }).status).toBe('completed');

  // Submitted upstream exactly once each: one sandbox task per prompt of the batch, no more.
  const tasks = (await sandboxTasks()).filter((task) => task.prompt.startsWith(`${batch} #`));
  expect(tasks).toHaveLength(20);
  expect(new Set(tasks.map((task) => task.prompt)).size).toBe(20);

  // Finished exactly once: one succeeded transition per job (an event may be published twice, never made twice).
  const updates = (await jobUpdates()).filter((update) => ids.includes(update.jobId));
  for (const id of ids) {
    const successes = new Set(updates.filter((u) => u.jobId === id && u.status === 'succeeded').map((u) => u.eventId));
    expect([id, successes.size]).toEqual([id, 1]);
  }

  // Billed exactly once: one ledger row per job (a video: 5 s at $0.030; music: its tracks), the balance moved by exactly that.
  await waitFor(
    () => ledgerRows(platform.prisma, accountId),
    (list) => list.length >= 20,
    20_000,
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  const final = await ledgerRows(platform.prisma, accountId);
  expect(final).toHaveLength(20);
  expect(new Set(final.map((row) => row.eventId))).toEqual(new Set(ids.map(mediaJobChargeEventId)));
  const byEvent = new Map(final.map((row) => [row.eventId, row]));
  for (const id of videoIds) expect(byEvent.get(mediaJobChargeEventId(id))).toMatchObject({ unit: 'second', quantity: 5_000n, amountMicros: -150_000n });
  for (const id of musicIds) expect(byEvent.get(mediaJobChargeEventId(id))).toMatchObject({ unit: 'track' });
  const spent = final.reduce((sum, row) => sum + row.amountMicros, 0n);
  expect((await platform.prisma.account.findUniqueOrThrow({ where: { id: accountId } })).balanceMicros).toBe(100_000_000n + spent);
  await waitFor(
    () => reservations(accountId),
    (held) => Object.keys(held).length === 0,
    10_000,
  );
});
