import { WaveFile } from 'wavefile';
import { startSandbox, TEST_API_KEY, type SandboxHarness } from '../testing/sandbox-harness';

const auth = { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sandbox media tasks', () => {
  let harness: SandboxHarness;
  let origin: string;
  const TASK_MS = 400;

  beforeAll(async () => {
    harness = await startSandbox();
    origin = harness.origin;
  });

  beforeEach(async () => {
    const res = await fetch(`${origin}/_sandbox/media`, { method: 'PUT', body: JSON.stringify({ taskMs: TASK_MS, failNext: 0, submitFault: null }) });
    expect(res.status).toBe(200);
    await fetch(`${origin}/_sandbox/media/tasks`, { method: 'DELETE' });
  });

  afterAll(() => harness.close());

  const submitVideo = (body: object) => fetch(`${origin}/v1/videos/generations`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
  const pollVideo = async (id: string) => (await fetch(`${origin}/v1/videos/${id}`, { headers: auth })).json() as Promise<Record<string, unknown>>;
  const submitMusic = (body: object) => fetch(`${origin}/suno/submit/music`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
  const fetchMusic = async (id: string) =>
    ((await (await fetch(`${origin}/suno/fetch/${id}`, { headers: auth })).json()) as { data: Record<string, unknown> }).data;

  describe('xAI video', () => {
    it('goes pending (with progress) → done with a real MP4 of the requested length', async () => {
      const res = await submitVideo({ model: 'grok-imagine-video', prompt: 'a cat', duration: 8, aspect_ratio: '16:9', resolution: '480p' });
      expect(res.status).toBe(200);
      const { request_id: id } = (await res.json()) as { request_id: string };
      expect(await pollVideo(id)).toEqual({ status: 'pending', model: 'grok-imagine-video', progress: 0 });
      await sleep(TASK_MS / 2);
      const midway = await pollVideo(id);
      expect(midway.status).toBe('pending');
      expect(midway.progress).toBeGreaterThan(0);
      await sleep(TASK_MS / 2 + 50);
      const done = (await pollVideo(id)) as { status: string; video: { url: string; duration: number } };
      expect(done).toMatchObject({ status: 'done', video: { duration: 8, respect_moderation: true } });
      const file = await fetch(done.video.url);
      expect(file.headers.get('content-type')).toBe('video/mp4');
      const bytes = Buffer.from(await file.arrayBuffer());
      expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
      expect(bytes.includes(Buffer.from('avc1'))).toBe(true);
    });

    it('answers xAI errors: 401 without the key, 400 for an out-of-range duration, 404 for an unknown id', async () => {
      const noKey = await fetch(`${origin}/v1/videos/generations`, { method: 'POST', body: '{}' });
      expect([noKey.status, Object.keys((await noKey.json()) as object)]).toEqual([401, ['code', 'error']]);
      const bad = await submitVideo({ model: 'm', prompt: 'x', duration: 20 });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: string }).error).toMatch(/duration/);
      expect((await fetch(`${origin}/v1/videos/nope`, { headers: auth })).status).toBe(404);
    });

    it('refuses the next submissions with a fault status, then accepts', async () => {
      await fetch(`${origin}/_sandbox/media`, { method: 'PUT', body: JSON.stringify({ submitFault: { status: 503, times: 1 } }) });
      expect((await submitVideo({ model: 'm', prompt: 'x' })).status).toBe(503);
      expect((await submitVideo({ model: 'm', prompt: 'x' })).status).toBe(200);
    });

    it('fails a task on demand (failNext), halfway, with an error', async () => {
      await fetch(`${origin}/_sandbox/media`, { method: 'PUT', body: JSON.stringify({ failNext: 1 }) });
      const { request_id: id } = (await (await submitVideo({ model: 'm', prompt: 'x' })).json()) as { request_id: string };
      await sleep(TASK_MS / 2 + 50);
      expect(await pollVideo(id)).toMatchObject({ status: 'failed', error: { code: 'internal_error' } });
      expect((await fetch(`${origin}/cdn/video/${id}.mp4`)).status).toBe(404);
    });
  });

  describe('Suno relay', () => {
    it('goes NOT_START → IN_PROGRESS → SUCCESS with two real WAV tracks, the same for the same request', async () => {
      const body = { gpt_description_prompt: 'lo-fi rain', tags: 'lo-fi', title: 'Rainy', mv: 'chirp-crow', make_instrumental: true };
      const submitted = (await (await submitMusic(body)).json()) as { code: string; data: string };
      expect(submitted.code).toBe('success');
      expect(await fetchMusic(submitted.data)).toMatchObject({ status: 'NOT_START', progress: '0%', data: [] });
      await sleep(TASK_MS / 2);
      expect((await fetchMusic(submitted.data)).status).toBe('IN_PROGRESS');
      await sleep(TASK_MS / 2 + 50);
      const done = (await fetchMusic(submitted.data)) as {
        status: string;
        data: { title: string; audio_url: string; metadata: { tags: string; duration: number } }[];
      };
      expect(done.status).toBe('SUCCESS');
      expect(done.data).toHaveLength(2);
      expect(done.data[0]).toMatchObject({ title: 'Rainy', metadata: { tags: 'lo-fi', duration: 2 } });

      const first = await fetch(done.data[0].audio_url);
      expect(first.headers.get('content-type')).toBe('audio/wav');
      const bytes = Buffer.from(await first.arrayBuffer());
      const wav = new WaveFile(bytes);
      const fmt = wav.fmt as { sampleRate: number; numChannels: number; bitsPerSample: number; audioFormat: number };
      expect([bytes.subarray(0, 4).toString('latin1'), bytes.subarray(8, 12).toString('latin1')]).toEqual(['RIFF', 'WAVE']);
      expect(fmt).toMatchObject({ sampleRate: 8_000, numChannels: 1, bitsPerSample: 16, audioFormat: 1 });
      expect((wav.getSamples(false, Int16Array) as unknown as Int16Array).length).toBe(16_000);

      // Deterministic: the same request gives the same first track; the second track differs.
      const again = (await (await submitMusic(body)).json()) as { data: string };
      await sleep(TASK_MS + 50);
      const repeat = (await fetchMusic(again.data)) as { data: { audio_url: string }[] };
      expect(Buffer.from(await (await fetch(repeat.data[0].audio_url)).arrayBuffer()).equals(bytes)).toBe(true);
      expect(Buffer.from(await (await fetch(done.data[1].audio_url)).arrayBuffer()).equals(bytes)).toBe(false);
    });

    it('fails a task whose prompt carries the marker, with fail_reason', async () => {
      const submitted = (await (await submitMusic({ gpt_description_prompt: 'please sandbox:fail now' })).json()) as { data: string };
      await sleep(TASK_MS / 2 + 50);
      expect(await fetchMusic(submitted.data)).toMatchObject({ status: 'FAILURE', fail_reason: expect.stringMatching(/asked to fail/) });
    });

    it('answers errors in the relay envelope', async () => {
      const noKey = await fetch(`${origin}/suno/submit/music`, { method: 'POST', body: '{}' });
      expect([noKey.status, await noKey.json()]).toEqual([401, { code: 'unauthorized', message: 'invalid api key', data: null }]);
      const empty = await submitMusic({ tags: 'jazz' });
      expect(empty.status).toBe(400);
      expect(await (await fetch(`${origin}/suno/fetch/nope`, { headers: auth })).json()).toEqual({
        code: 'task_not_exist',
        message: 'task_not_exist',
        data: null,
      });
    });
  });

  it('lists every task submitted (a test counts submissions per prompt there) and refuses unknown settings', async () => {
    await submitVideo({ model: 'm', prompt: 'one' });
    await submitMusic({ gpt_description_prompt: 'two' });
    const { tasks } = (await (await fetch(`${origin}/_sandbox/media/tasks`)).json()) as { tasks: { kind: string; prompt: string }[] };
    expect(tasks.map((t) => [t.kind, t.prompt])).toEqual([
      ['video', 'one'],
      ['music', 'two'],
    ]);
    expect((await fetch(`${origin}/_sandbox/media`, { method: 'PUT', body: JSON.stringify({ taskMillis: 1 }) })).status).toBe(400);
  });
});
