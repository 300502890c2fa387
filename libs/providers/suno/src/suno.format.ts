import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { parseProgress, UpstreamTaskState } from '@apitopmix/providers/core';

/** A music job as the gateway validated it (the spec's /suno/submit/music fields). */
export interface MusicInput {
  /** What the music should be, in words. */
  prompt: string;
  style?: string;
  title?: string;
  lyrics?: string;
  makeInstrumental: boolean;
}

export interface MusicTrack {
  title: string;
  audioUrl: string;
  /** Seconds, when the relay says. */
  durationSeconds?: number;
  style?: string;
}

/**
 * The relay's submit body. Without lyrics, the prompt is Suno's description (`gpt_description_prompt`, inspiration
 * mode: Suno writes the lyrics). With lyrics, it is Suno's custom mode: `prompt` carries the lyrics, `tags` the
 * style, and the description has no field there, so it is not sent. `mv` is Suno's model (chirp-crow is v5).
 */
export function toSunoRequest(input: MusicInput, upstreamModel: string): Record<string, unknown> {
  const common = {
    mv: upstreamModel,
    make_instrumental: input.makeInstrumental,
    ...(input.title ? { title: input.title } : {}),
    ...(input.style ? { tags: input.style } : {}),
  };
  return input.lyrics ? { ...common, prompt: input.lyrics } : { ...common, gpt_description_prompt: input.prompt };
}

/** The task id in the answer to `POST /suno/submit/music` (`data`). */
export function readSunoSubmit(text: string): string {
  const json = parse(text) as { code?: unknown; message?: unknown; data?: unknown } | undefined;
  if (json?.code !== 'success') {
    const message = typeof json?.message === 'string' && json.message ? json.message : 'the relay refused the task';
    throw new GatewayError(ErrorCode.UpstreamRejected, `The upstream provider rejected the request: ${message}`);
  }
  const id = typeof json.data === 'string' ? json.data : (json.data as { task_id?: unknown } | undefined)?.task_id;
  if (typeof id !== 'string' || id === '') throw garbage('no task id in the answer to a music submission');
  return id;
}

interface SunoClip {
  title?: unknown;
  audio_url?: unknown;
  tags?: unknown;
  duration?: unknown;
  metadata?: { tags?: unknown; duration?: unknown };
}

/** The task in the answer to `GET /suno/fetch/{task_id}`. */
export function readSunoTask(text: string): UpstreamTaskState<MusicTrack[]> {
  const json = parse(text) as
    { code?: unknown; message?: unknown; data?: { status?: unknown; progress?: unknown; fail_reason?: unknown; data?: unknown } } | undefined;
  const task = json?.data;
  if (json?.code !== 'success' || !task || typeof task.status !== 'string') throw garbage('no task status in a music task');
  switch (task.status) {
    case 'SUCCESS': {
      const clips = Array.isArray(task.data) ? (task.data as SunoClip[]) : [];
      const tracks = clips.flatMap((clip) => (typeof clip.audio_url === 'string' && clip.audio_url ? [toTrack(clip)] : []));
      if (tracks.length === 0) return { status: 'failed', reason: 'The provider finished the music task without any track.' };
      return { status: 'succeeded', result: tracks };
    }
    case 'FAILURE': {
      const reason = typeof task.fail_reason === 'string' && task.fail_reason ? task.fail_reason : undefined;
      return { status: 'failed', reason: reason ? `The provider could not generate the music: ${reason}` : 'The provider could not generate the music.' };
    }
    default:
      return { status: 'running', progress: parseProgress(task.progress) };
  }
}

function toTrack(clip: SunoClip): MusicTrack {
  const duration = clip.metadata?.duration ?? clip.duration;
  const style = clip.metadata?.tags ?? clip.tags;
  return {
    title: typeof clip.title === 'string' ? clip.title : '',
    audioUrl: clip.audio_url as string,
    durationSeconds: typeof duration === 'number' && duration > 0 ? duration : undefined,
    style: typeof style === 'string' && style ? style : undefined,
  };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw garbage('an unreadable answer');
  }
}

function garbage(what: string): GatewayError {
  return new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (suno) sent ${what}.`);
}
