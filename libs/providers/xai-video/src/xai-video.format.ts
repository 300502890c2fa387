import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { parseProgress, UpstreamTaskState } from '@apitopmix/providers/core';

/** A text-to-video job as the gateway validated it. */
export interface VideoInput {
  prompt: string;
  durationSeconds: number;
  resolution: string;
  aspectRatio: string;
}

/** What a finished video is: where to fetch it and how long it is (seconds, as the upstream measured it). */
export interface VideoResult {
  url: string;
  durationSeconds?: number;
}

/** The body of `POST /videos/generations`. */
export function toXaiVideoRequest(input: VideoInput, upstreamModel: string): Record<string, unknown> {
  return { model: upstreamModel, prompt: input.prompt, duration: input.durationSeconds, aspect_ratio: input.aspectRatio, resolution: input.resolution };
}

/** The task id in the answer to `POST /videos/generations`. */
export function readXaiSubmit(text: string): string {
  const json = parse(text) as { request_id?: unknown } | undefined;
  if (typeof json?.request_id !== 'string' || json.request_id === '') throw garbage('no request_id in the answer to a video submission');
  return json.request_id;
}

/**
 * The state in the answer to `GET /videos/{request_id}`: `pending` (or `queued`, `processing`) is running, `done`
 * with a URL succeeded, `failed` and `expired` failed. A `done` without a URL (withheld by moderation) failed too.
 */
export function readXaiVideoState(text: string): UpstreamTaskState<VideoResult> {
  const json = parse(text) as
    { status?: unknown; progress?: unknown; video?: { url?: unknown; duration?: unknown }; error?: { message?: unknown } | string } | undefined;
  if (!json || typeof json.status !== 'string') throw garbage('no status in a video task');
  switch (json.status) {
    case 'done': {
      const url = json.video?.url;
      if (typeof url !== 'string' || url === '') return { status: 'failed', reason: 'The video was withheld by the provider (moderation).' };
      const duration = json.video?.duration;
      return { status: 'succeeded', result: { url, durationSeconds: typeof duration === 'number' && duration > 0 ? duration : undefined } };
    }
    case 'failed': {
      const message = typeof json.error === 'string' ? json.error : typeof json.error?.message === 'string' ? json.error.message : undefined;
      return { status: 'failed', reason: message ? `The provider could not generate the video: ${message}` : 'The provider could not generate the video.' };
    }
    case 'expired':
      return { status: 'failed', reason: 'The provider expired the video task before it finished.' };
    default:
      return { status: 'running', progress: parseProgress(json.progress) };
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw garbage('an unreadable answer');
  }
}

function garbage(what: string): GatewayError {
  return new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (xai-video) sent ${what}.`);
}
