import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { parseMusicRequest } from './music-request';
import { MediaTaskView, renderMusicSubmitted, renderMusicTask, renderVideoSubmitted, renderVideoTask, toSunoError } from './task-views';
import { parseVideoRequest, resolveVideoRequest } from './video-request';

const grok = { id: 'grok-video-3', minSeconds: 5, maxSeconds: 15, defaultSeconds: 8, resolutions: ['480p', '720p'] };

function invalid(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('POST /v1/videos validation', () => {
  it('applies the spec defaults: 8 s, 480p, 16:9', () => {
    expect(resolveVideoRequest(parseVideoRequest({ model: 'grok-video-3', prompt: 'a dog' }), grok)).toEqual({
      model: 'grok-video-3',
      prompt: 'a dog',
      duration: 8,
      resolution: '480p',
      aspect_ratio: '16:9',
    });
  });

  it('keeps valid choices and ignores unknown fields', () => {
    const body = { model: 'grok-video-3', prompt: 'x', duration: 15, resolution: '720p', aspect_ratio: '1:1', extra: true };
    expect(resolveVideoRequest(parseVideoRequest(body), grok)).toMatchObject({ duration: 15, resolution: '720p', aspect_ratio: '1:1' });
    expect(resolveVideoRequest(parseVideoRequest({ ...body, duration: 5 }), grok).duration).toBe(5);
  });

  it.each([
    [{ prompt: 'x' }, 'model', /Missing required parameter: 'model'/],
    [{ model: 'grok-video-3' }, 'prompt', /Missing required parameter: 'prompt'/],
    [{ model: 'grok-video-3', prompt: '   ' }, 'prompt', /must not be empty/],
    [{ model: 'grok-video-3', prompt: 'x', duration: 7.5 }, 'duration', /expected int/],
    [{ model: 'grok-video-3', prompt: 'x', duration: '8' }, 'duration', /expected number/],
    [{ model: 'grok-video-3', prompt: 'x', aspect_ratio: '4:3' }, 'aspect_ratio', /'16:9', '9:16', '1:1'/],
  ])('refuses %j (param %s)', (body, param, message) => {
    const error = invalid(() => parseVideoRequest(body));
    expect([error.code, error.status, error.param]).toEqual([ErrorCode.InvalidRequest, 400, param]);
    expect(error.message).toMatch(message);
  });

  it.each([
    [4, 'duration'],
    [16, 'duration'],
  ])('refuses duration %d (the request table: 5–15)', (duration, param) => {
    const error = invalid(() => resolveVideoRequest(parseVideoRequest({ model: 'grok-video-3', prompt: 'x', duration }), grok));
    expect(error.param).toBe(param);
    expect(error.message).toMatch(/from 5 to 15 seconds/);
  });

  it('refuses a resolution the model does not have', () => {
    const error = invalid(() => resolveVideoRequest(parseVideoRequest({ model: 'grok-video-3', prompt: 'x', resolution: '1080p' }), grok));
    expect(error.param).toBe('resolution');
  });

  it('refuses a body that is not an object', () => {
    expect(invalid(() => parseVideoRequest([1])).message).toMatch(/JSON object/);
  });
});

describe('POST /suno/submit/music validation', () => {
  it('needs a prompt; the rest is optional, with make_instrumental false and the default model', () => {
    expect(parseMusicRequest({ prompt: 'rain' })).toEqual({ model: 'suno', prompt: 'rain', make_instrumental: false });
    expect(parseMusicRequest({ prompt: 'rain', style: 'lo-fi', title: 'T', lyrics: 'la', make_instrumental: true, model: 'suno-v4.5' })).toEqual({
      model: 'suno-v4.5',
      prompt: 'rain',
      style: 'lo-fi',
      title: 'T',
      lyrics: 'la',
      make_instrumental: true,
    });
    expect(parseMusicRequest({ prompt: 'rain', style: null, title: '' })).toEqual({ model: 'suno', prompt: 'rain', make_instrumental: false });
  });

  it.each([
    [{}, 'prompt'],
    [{ prompt: '' }, 'prompt'],
    [{ prompt: 3 }, 'prompt'],
    [{ prompt: 'x', make_instrumental: 'yes' }, 'make_instrumental'],
    [{ prompt: 'x', style: 5 }, 'style'],
  ])('refuses %j (param %s)', (body, param) => {
    expect(invalid(() => parseMusicRequest(body)).param).toBe(param);
  });
});

const view = (over: Partial<MediaTaskView>): MediaTaskView => ({
  id: 'task_1',
  status: 'queued',
  progress: 0,
  model: 'grok-video-3',
  createdAtMs: 1_764_000_000_500,
  ...over,
});

describe('video task shapes', () => {
  it('answers the submit as the spec shows', () => {
    expect(renderVideoSubmitted(view({}))).toEqual({ id: 'task_1', object: 'video', status: 'queued', model: 'grok-video-3', created_at: 1_764_000_000 });
  });

  it('walks QUEUED → IN_PROGRESS (with progress) → SUCCESS with data.output', () => {
    expect(renderVideoTask(view({})).data).toMatchObject({ status: 'QUEUED', progress: '0%', finish_time: null });
    expect(renderVideoTask(view({ status: 'in_progress', progress: 40 })).data).toMatchObject({ status: 'IN_PROGRESS', progress: '40%' });
    const done = renderVideoTask(
      view({ status: 'succeeded', progress: 90, finishedAtMs: 1_764_000_060_000, result: { output: 'https://v/x.mp4', duration: 8 } }),
    );
    expect(done).toEqual({
      code: 'success',
      data: {
        task_id: 'task_1',
        object: 'video',
        model: 'grok-video-3',
        status: 'SUCCESS',
        progress: '100%',
        submit_time: 1_764_000_000,
        finish_time: 1_764_000_060,
        data: { output: 'https://v/x.mp4', duration: 8 },
      },
    });
    expect(renderVideoTask(view({})).data).not.toHaveProperty('data');
  });

  it('FAILURE carries fail_reason', () => {
    expect(renderVideoTask(view({ status: 'failed', progress: 30, failReason: 'nope' })).data).toMatchObject({ status: 'FAILURE', fail_reason: 'nope' });
  });
});

describe('music task shapes', () => {
  it('answers the submit in the envelope', () => {
    expect(renderMusicSubmitted(view({ id: 'suno_1' }))).toEqual({ code: 200, message: 'success', data: { task_id: 'suno_1' } });
  });

  it('walks queued → processing → completed with tracks, or failed', () => {
    expect(renderMusicTask(view({ id: 'suno_1' })).data).toMatchObject({ task_id: 'suno_1', status: 'queued', progress: 0 });
    expect(renderMusicTask(view({ status: 'in_progress', progress: 55 })).data).toMatchObject({ status: 'processing', progress: 55 });
    const track = { title: 'Rainy', audio_url: 'https://a/1.wav', duration: 3, style: 'lo-fi' };
    expect(renderMusicTask(view({ status: 'succeeded', result: { tracks: [track] } })).data).toMatchObject({
      status: 'completed',
      progress: 100,
      tracks: [track],
    });
    expect(renderMusicTask(view({ status: 'failed', failReason: 'x' })).data).toMatchObject({ status: 'failed', fail_reason: 'x' });
  });

  it('renders errors in the envelope with the HTTP status', () => {
    expect(toSunoError(GatewayError.invalid("Missing required parameter: 'prompt'.", 'prompt'))).toEqual({
      status: 400,
      body: { code: 400, message: "Missing required parameter: 'prompt'.", data: null },
    });
    expect(toSunoError(new GatewayError(ErrorCode.InsufficientQuota, 'no money')).status).toBe(402);
  });
});
