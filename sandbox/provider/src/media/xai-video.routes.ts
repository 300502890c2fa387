// xAI's asynchronous video API, as the sandbox speaks it: `POST /v1/videos/generations` answers a `request_id`,
// `GET /v1/videos/{request_id}` answers `pending` (with `progress`) until `done` with `video.url` and
// `video.duration`, or `failed` with an `error`. Errors as xAI writes them: `{"code": "...", "error": "..."}`.
import type { ServerResponse } from 'node:http';
import { sendJson } from '../shared/http-io';
import type { Route, SandboxContext } from '../shared/sandbox-router';
import { filesBaseUrl, hasBearer, jsonObject, videoFilePath } from './media-http';
import type { MediaTaskStore } from './media-task-store';

const ASPECT_RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4', '3:2', '2:3'];
const RESOLUTIONS = ['480p', '720p'];

export function xaiVideoRoutes(options: { apiKey: string; store: MediaTaskStore }): Route[] {
  const { apiKey, store } = options;
  return [
    {
      method: 'POST',
      path: '/v1/videos/generations',
      handler: (ctx) => {
        ctx.res.setHeader('x-sandbox-provider', 'xai');
        if (!hasBearer(ctx.req.headers, apiKey)) return xaiError(ctx.res, 401, 'Unauthorized', 'Incorrect API key provided.');
        const body = jsonObject(ctx.body);
        const problem = body ? invalid(body) : 'the body must be a JSON object';
        if (problem) return xaiError(ctx.res, 400, 'Client specified an invalid argument', problem);
        const refused = store.takeSubmitFault();
        if (refused) return xaiError(ctx.res, refused, 'Sandbox fault', `The sandbox refused this submission with ${refused} (submitFault).`);
        const task = store.create('video', body!, String(body!.prompt), ctx.deployment);
        sendJson(ctx.res, 200, { request_id: task.id });
      },
    },
    {
      method: 'GET',
      path: '/v1/videos/{requestId}',
      handler: (ctx) => {
        ctx.res.setHeader('x-sandbox-provider', 'xai');
        if (!hasBearer(ctx.req.headers, apiKey)) return xaiError(ctx.res, 401, 'Unauthorized', 'Incorrect API key provided.');
        const task = store.get(ctx.params.requestId);
        if (!task || task.kind !== 'video') return xaiError(ctx.res, 404, 'Not found', `No video request with id ${ctx.params.requestId}.`);
        const state = store.state(task);
        const model = String(task.request.model);
        if (state.phase === 'failed') {
          return sendJson(ctx.res, 200, {
            status: 'failed',
            model,
            video: { duration: 0, respect_moderation: true },
            error: { code: 'internal_error', message: task.failReason },
          });
        }
        if (state.phase !== 'done') return sendJson(ctx.res, 200, { status: 'pending', model, progress: state.progress });
        sendJson(ctx.res, 200, {
          status: 'done',
          model,
          video: { url: `${filesBaseUrl(ctx)}${videoFilePath(task.id)}`, duration: durationOf(task.request), respect_moderation: true },
        });
      },
    },
  ];
}

export function durationOf(request: Record<string, unknown>): number {
  return typeof request.duration === 'number' ? request.duration : 6;
}

function invalid(body: Record<string, unknown>): string | undefined {
  if (typeof body.model !== 'string' || body.model === '') return 'model: a model id is required';
  if (typeof body.prompt !== 'string' || body.prompt.trim() === '') return 'prompt: a prompt is required';
  if (body.duration !== undefined && (!Number.isInteger(body.duration) || (body.duration as number) < 1 || (body.duration as number) > 15)) {
    return 'duration: must be an integer from 1 to 15';
  }
  if (body.aspect_ratio !== undefined && !ASPECT_RATIOS.includes(body.aspect_ratio as string))
    return `aspect_ratio: must be one of ${ASPECT_RATIOS.join(', ')}`;
  if (body.resolution !== undefined && !RESOLUTIONS.includes(body.resolution as string)) return `resolution: must be one of ${RESOLUTIONS.join(', ')}`;
  return undefined;
}

function xaiError(res: ServerResponse, status: number, code: string, error: string): void {
  sendJson(res, status, { code, error });
}

export type { SandboxContext };
