// The control API tests use to steer the sandbox and inspect what reached it. Unauthenticated by design, so it
// answers loopback clients only: the sandbox may listen on a wider interface for demos.
import type { ServerResponse } from 'node:http';
import { toFaultState } from '../shared/fault-rules';
import { sendJson } from '../shared/http-io';
import type { RequestLog } from '../shared/request-log';
import type { Route, RouteHandler, SandboxContext } from '../shared/sandbox-router';
import { sandboxSettingsPatchSchema, type SandboxSettings } from '../shared/sandbox-settings';

export const CONTROL_PREFIX = '/_sandbox/';

export interface ControlRoutesOptions {
  requestLog: RequestLog;
  settings: SandboxSettings;
}

export function sandboxControlRoutes({ requestLog, settings }: ControlRoutesOptions): Route[] {
  return [
    { method: 'GET', path: '/_sandbox/settings', handler: loopbackOnly((ctx) => sendJson(ctx.res, 200, settings)) },
    { method: 'PUT', path: '/_sandbox/settings', handler: loopbackOnly((ctx) => updateSettings(ctx, settings)) },
    {
      method: 'GET',
      path: '/_sandbox/requests',
      handler: loopbackOnly((ctx) => sendJson(ctx.res, 200, { requests: requestLog.list() })),
    },
    {
      method: 'DELETE',
      path: '/_sandbox/requests',
      handler: loopbackOnly((ctx) => {
        requestLog.clear();
        ctx.res.writeHead(204).end();
      }),
    },
  ];
}

function updateSettings(ctx: SandboxContext, settings: SandboxSettings): void {
  let patch: unknown;
  try {
    patch = JSON.parse(ctx.body);
  } catch {
    return controlError(ctx.res, 400, 'sandbox settings: the body is not valid JSON');
  }
  const result = sandboxSettingsPatchSchema.safeParse(patch);
  if (!result.success) {
    const issue = result.error.issues[0];
    return controlError(ctx.res, 400, `sandbox settings: ${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  // Mutate in place: the server and every later request read this same object.
  const { faults, ...delays } = result.data;
  Object.assign(settings, delays);
  if (faults) settings.faults = faults.map(toFaultState);
  sendJson(ctx.res, 200, settings);
}

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function loopbackOnly(handler: RouteHandler): RouteHandler {
  return (ctx) => {
    if (!LOOPBACK_ADDRESSES.has(ctx.req.socket.remoteAddress ?? '')) {
      return controlError(ctx.res, 403, 'the sandbox control API only answers loopback clients');
    }
    return handler(ctx);
  };
}

function controlError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error: { message, type: 'sandbox_control_error' } });
}
