// The files of finished tasks, as a CDN would serve them: `GET /cdn/video/{task}.mp4` (a real tiny MP4 of the
// requested length, sandbox-video-clips.ts) and `GET /cdn/audio/{task}/{n}.wav` (a real WAV, sandbox-audio.ts).
// 404 until the task is done, or when the sandbox no longer knows it (it keeps tasks in memory).
import type { ServerResponse } from 'node:http';
import type { Route } from '../shared/sandbox-router';
import { sandboxTrack } from './sandbox-audio';
import { sandboxVideoClip } from './sandbox-video-clips';
import type { MediaTaskStore } from './media-task-store';
import { CLIPS_PER_TASK } from './suno.routes';
import { durationOf } from './xai-video.routes';

export function mediaFileRoutes(options: { store: MediaTaskStore }): Route[] {
  const { store } = options;
  const finished = (id: string, kind: 'video' | 'music') => {
    const task = store.get(id);
    return task && task.kind === kind && store.state(task).phase === 'done' ? task : undefined;
  };
  return [
    {
      method: 'GET',
      path: '/cdn/video/{file}',
      handler: (ctx) => {
        const match = /^(.+)\.mp4$/.exec(ctx.params.file);
        const task = match ? finished(match[1], 'video') : undefined;
        if (!task) return notFound(ctx.res);
        sendFile(ctx.res, 'video/mp4', sandboxVideoClip(durationOf(task.request)));
      },
    },
    {
      method: 'GET',
      path: '/cdn/audio/{task}/{file}',
      handler: (ctx) => {
        const match = /^(\d+)\.wav$/.exec(ctx.params.file);
        const task = finished(ctx.params.task, 'music');
        const index = match ? Number(match[1]) : -1;
        if (!task || index < 0 || index >= CLIPS_PER_TASK) return notFound(ctx.res);
        sendFile(ctx.res, 'audio/wav', sandboxTrack(`${JSON.stringify(task.request)}#${index}`));
      },
    },
  ];
}

function sendFile(res: ServerResponse, contentType: string, bytes: Buffer): void {
  res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length, 'x-sandbox-provider': 'sandbox-cdn' });
  res.end(bytes);
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
}
