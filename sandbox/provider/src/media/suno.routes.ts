// The Suno relay task protocol, as the sandbox speaks it: `POST /suno/submit/music` answers
// `{"code": "success", "message": "", "data": "<task id>"}`; `GET /suno/fetch/{task_id}` answers the task, whose
// status goes NOT_START → IN_PROGRESS (with `progress: "40%"`) → SUCCESS with two clips (real WAV files), or
// FAILURE with `fail_reason`. Errors in the same envelope: `{"code": "<error>", "message": "...", "data": null}`.
import type { ServerResponse } from 'node:http';
import { sendJson } from '../shared/http-io';
import type { Route } from '../shared/sandbox-router';
import { SANDBOX_TRACK_SECONDS } from './sandbox-audio';
import { audioFilePath, filesBaseUrl, hasBearer, jsonObject } from './media-http';
import type { MediaTask, MediaTaskStore } from './media-task-store';

/** Clips per generation, as Suno makes. */
export const CLIPS_PER_TASK = 2;

export function sunoRoutes(options: { apiKey: string; store: MediaTaskStore }): Route[] {
  const { apiKey, store } = options;
  return [
    {
      method: 'POST',
      path: '/suno/submit/music',
      handler: (ctx) => {
        ctx.res.setHeader('x-sandbox-provider', 'suno');
        if (!hasBearer(ctx.req.headers, apiKey)) return sunoError(ctx.res, 401, 'unauthorized', 'invalid api key');
        const body = jsonObject(ctx.body);
        const problem = body ? invalid(body) : 'the body must be a JSON object';
        if (problem) return sunoError(ctx.res, 400, 'invalid_request', problem);
        const refused = store.takeSubmitFault();
        if (refused) return sunoError(ctx.res, refused, 'sandbox_fault', `the sandbox refused this submission with ${refused} (submitFault)`);
        const prompt = String(body!.gpt_description_prompt ?? body!.prompt);
        const task = store.create('music', body!, prompt, ctx.deployment);
        sendJson(ctx.res, 200, { code: 'success', message: '', data: task.id });
      },
    },
    {
      method: 'GET',
      path: '/suno/fetch/{taskId}',
      handler: (ctx) => {
        ctx.res.setHeader('x-sandbox-provider', 'suno');
        if (!hasBearer(ctx.req.headers, apiKey)) return sunoError(ctx.res, 401, 'unauthorized', 'invalid api key');
        const task = store.get(ctx.params.taskId);
        if (!task || task.kind !== 'music') return sunoError(ctx.res, 404, 'task_not_exist', 'task_not_exist');
        const state = store.state(task);
        const seconds = (ms: number | undefined) => (ms === undefined ? 0 : Math.floor(ms / 1000));
        const status = { queued: 'NOT_START', running: 'IN_PROGRESS', done: 'SUCCESS', failed: 'FAILURE' }[state.phase];
        sendJson(ctx.res, 200, {
          code: 'success',
          message: '',
          data: {
            task_id: task.id,
            action: 'MUSIC',
            status,
            fail_reason: state.phase === 'failed' ? task.failReason : '',
            submit_time: seconds(task.createdAt),
            start_time: seconds(state.startedAt),
            finish_time: seconds(state.finishedAt),
            progress: `${state.progress}%`,
            data: state.phase === 'done' ? clips(task, filesBaseUrl(ctx)) : [],
          },
        });
      },
    },
  ];
}

function clips(task: MediaTask, base: string) {
  const request = task.request;
  const title = typeof request.title === 'string' && request.title ? request.title : 'Sandbox Song';
  const tags = typeof request.tags === 'string' ? request.tags : '';
  return Array.from({ length: CLIPS_PER_TASK }, (_, index) => ({
    id: `${task.id}-${index}`,
    title: index === 0 ? title : `${title} (take ${index + 1})`,
    status: 'complete',
    audio_url: `${base}${audioFilePath(task.id, index)}`,
    image_url: null,
    model_name: typeof request.mv === 'string' ? request.mv : 'chirp-crow',
    metadata: {
      tags,
      prompt: typeof request.prompt === 'string' ? request.prompt : '',
      gpt_description_prompt: request.gpt_description_prompt ?? null,
      duration: SANDBOX_TRACK_SECONDS,
    },
  }));
}

function invalid(body: Record<string, unknown>): string | undefined {
  const description = body.gpt_description_prompt;
  const lyrics = body.prompt;
  if (typeof description !== 'string' && typeof lyrics !== 'string') return 'prompt or gpt_description_prompt is required';
  if ((typeof description === 'string' ? description : (lyrics as string)).trim() === '') return 'the prompt is empty';
  for (const field of ['mv', 'tags', 'title']) {
    if (body[field] !== undefined && typeof body[field] !== 'string') return `${field} must be a string`;
  }
  if (body.make_instrumental !== undefined && typeof body.make_instrumental !== 'boolean') return 'make_instrumental must be a boolean';
  return undefined;
}

function sunoError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { code, message, data: null });
}
