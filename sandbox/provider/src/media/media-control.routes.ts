// The media part of the control API: `GET /_sandbox/media` (settings), `PUT /_sandbox/media` (a partial update of
// taskMs, failNext, submitFault; unknown keys refused), `GET /_sandbox/media/tasks` (every task submitted, oldest
// first: the count per prompt is how a test proves a job was submitted once), `DELETE /_sandbox/media/tasks`.
import { sendJson } from '../shared/http-io';
import type { Route, RouteHandler } from '../shared/sandbox-router';
import { mediaSettingsPatchSchema, type MediaTaskStore } from './media-task-store';

export function mediaControlRoutes(options: { store: MediaTaskStore; loopbackOnly: (handler: RouteHandler) => RouteHandler }): Route[] {
  const { store, loopbackOnly } = options;
  return [
    { method: 'GET', path: '/_sandbox/media', handler: loopbackOnly((ctx) => sendJson(ctx.res, 200, store.settings)) },
    {
      method: 'PUT',
      path: '/_sandbox/media',
      handler: loopbackOnly((ctx) => {
        let patch: unknown;
        try {
          patch = JSON.parse(ctx.body);
        } catch {
          return sendJson(ctx.res, 400, { error: { message: 'sandbox media: the body is not valid JSON', type: 'sandbox_control_error' } });
        }
        const result = mediaSettingsPatchSchema.safeParse(patch);
        if (!result.success) {
          const issue = result.error.issues[0];
          return sendJson(ctx.res, 400, {
            error: { message: `sandbox media: ${issue.path.join('.') || 'body'}: ${issue.message}`, type: 'sandbox_control_error' },
          });
        }
        Object.assign(store.settings, result.data);
        sendJson(ctx.res, 200, store.settings);
      }),
    },
    {
      method: 'GET',
      path: '/_sandbox/media/tasks',
      handler: loopbackOnly((ctx) =>
        sendJson(ctx.res, 200, {
          tasks: store.list().map((task) => ({
            id: task.id,
            kind: task.kind,
            prompt: task.prompt,
            deployment: task.deployment,
            createdAt: new Date(task.createdAt).toISOString(),
            phase: store.state(task).phase,
          })),
        }),
      ),
    },
    {
      method: 'DELETE',
      path: '/_sandbox/media/tasks',
      handler: loopbackOnly((ctx) => {
        store.clear();
        ctx.res.writeHead(204).end();
      }),
    },
  ];
}
