// A table of routes contributed by each wire-format module and the control API; exact method + path matching is
// all the sandbox needs, and keeps "which routes exist" readable in one place per module.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestRecord } from './request-log';
import type { SandboxSettings } from './sandbox-settings';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface SandboxContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** The whole request body as text (already read, so handlers stay synchronous about input). */
  readonly body: string;
  /** Fires when the client disconnects before the response is complete: handlers must stop work on it. */
  readonly signal: AbortSignal;
  /** Settings as they were when the request arrived: a PUT mid-stream does not change a running response. */
  readonly settings: Readonly<SandboxSettings>;
  /** This request's entry in the request log; absent for control-API calls, which are not recorded. */
  readonly record?: RequestRecord;
}

export type RouteHandler = (ctx: SandboxContext) => void | Promise<void>;

export interface Route {
  readonly method: HttpMethod;
  readonly path: string;
  readonly handler: RouteHandler;
}

export class SandboxRouter {
  private readonly routes = new Map<string, RouteHandler>();

  constructor(routes: Iterable<Route>) {
    for (const route of routes) {
      const key = routeKey(route.method, route.path);
      if (this.routes.has(key)) throw new Error(`sandbox route registered twice: ${key}`);
      this.routes.set(key, route.handler);
    }
  }

  match(method: string, path: string): RouteHandler | undefined {
    // Tolerate one trailing slash, as clients that join base URLs carelessly send `/v1/models/`.
    const normalised = path.length > 1 ? path.replace(/\/$/, '') : path;
    return this.routes.get(routeKey(method, normalised));
  }
}

function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}
