import { GatewayError } from '@apitopmix/platform/errors';

export type TaskStatus = 'queued' | 'in_progress' | 'succeeded' | 'failed';

/** A job as the edge renders it (from media-jobs' Job message). */
export interface MediaTaskView {
  id: string;
  status: TaskStatus;
  /** 0–100. */
  progress: number;
  model: string;
  createdAtMs: number;
  /** Set once terminal. */
  finishedAtMs?: number;
  /** The stored public result once succeeded: `VideoResult` or `MusicResult`. */
  result?: unknown;
  failReason?: string;
}

/** A finished video, as stored on the job and shown to the client. */
export interface VideoResult {
  output: string;
  /** Seconds delivered. */
  duration: number;
}

export interface MusicTrackView {
  title: string;
  audio_url: string;
  /** Seconds. */
  duration: number;
  style: string;
}

export interface MusicResult {
  tracks: MusicTrackView[];
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/** `POST /v1/videos` → the spec's submit response. */
export function renderVideoSubmitted(view: MediaTaskView) {
  return { id: view.id, object: 'video' as const, status: 'queued' as const, model: view.model, created_at: seconds(view.createdAtMs) };
}

const videoStatus: Record<TaskStatus, string> = { queued: 'QUEUED', in_progress: 'IN_PROGRESS', succeeded: 'SUCCESS', failed: 'FAILURE' };

/**
 * `GET /v1/videos/{task_id}` → the spec's task shape: `{code: "success", data: {task_id, status, progress: "40%",
 * ...}}`, status `QUEUED` → `IN_PROGRESS` → `SUCCESS` (with `data.output`) or `FAILURE` (with `fail_reason`).
 */
export function renderVideoTask(view: MediaTaskView) {
  const result = view.status === 'succeeded' ? (view.result as VideoResult | undefined) : undefined;
  return {
    code: 'success' as const,
    data: {
      task_id: view.id,
      object: 'video' as const,
      model: view.model,
      status: videoStatus[view.status],
      progress: `${view.status === 'succeeded' ? 100 : view.progress}%`,
      submit_time: seconds(view.createdAtMs),
      finish_time: view.finishedAtMs ? seconds(view.finishedAtMs) : null,
      ...(view.status === 'failed' ? { fail_reason: view.failReason ?? 'The video could not be generated.' } : {}),
      ...(result ? { data: { output: result.output, duration: result.duration } } : {}),
    },
  };
}

/** `POST /suno/submit/music` → `{code: 200, message: "success", data: {task_id}}`. */
export function renderMusicSubmitted(view: MediaTaskView) {
  return { code: 200 as const, message: 'success' as const, data: { task_id: view.id } };
}

const musicStatus: Record<TaskStatus, string> = { queued: 'queued', in_progress: 'processing', succeeded: 'completed', failed: 'failed' };

/**
 * `GET /suno/fetch/{id}` → `{code: 200, message: "success", data: {task_id, status, progress, tracks?}}`, status
 * `queued` → `processing` → `completed` (with `tracks`) or `failed` (with `fail_reason`).
 */
export function renderMusicTask(view: MediaTaskView) {
  const result = view.status === 'succeeded' ? (view.result as MusicResult | undefined) : undefined;
  return {
    code: 200 as const,
    message: 'success' as const,
    data: {
      task_id: view.id,
      model: view.model,
      status: musicStatus[view.status],
      progress: view.status === 'succeeded' ? 100 : view.progress,
      ...(view.status === 'failed' ? { fail_reason: view.failReason ?? 'The music could not be generated.' } : {}),
      ...(result ? { tracks: result.tracks } : {}),
    },
  };
}

/** The `/suno/*` error envelope: `{code: <HTTP status>, message, data: null}`, with that HTTP status. */
export function toSunoError(error: GatewayError): { status: number; body: { code: number; message: string; data: null } } {
  return { status: error.status, body: { code: error.status, message: error.message, data: null } };
}
