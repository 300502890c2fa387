// A table of routes contributed by each wire-format module and the control API. Paths are literal, or patterns
// with `{name}` placeholders for one path segment (`/v1beta/models/{model}:generateContent`, where a placeholder
// also stops at `:`) and `{name*}` for the rest of the path, slashes included (`/v1/models/{id*}`).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StreamDisruption } from './stream-pump';
import type { RequestRecord } from './request-log';
import type { SandboxSettings } from './sandbox-settings';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface SandboxContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The URL as requested, deployment prefix and query string included. */
  readonly url: URL;
  /** The path the routes see: `url.pathname` without a `/d/<name>` deployment prefix. */
  readonly path: string;
  /** The `<name>` of a `/d/<name>/...` prefix, or null. */
  readonly deployment: string | null;
  /** Values of the route pattern's placeholders, URL-decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** The whole request body as text (already read, so handlers stay synchronous about input). */
  readonly body: string;
  /** Fires when the client disconnects before the response is complete: handlers must stop work on it. */
  readonly signal: AbortSignal;
  /** Settings as they were when the request arrived: a PUT mid-stream does not change a running response. */
  readonly settings: Readonly<SandboxSettings>;
  /** This request's entry in the request log; absent for control-API calls, which are not recorded. */
  readonly record?: RequestRecord;
  /** A fault rule's instruction for how to break this response's stream, if one matched. */
  readonly disruption?: StreamDisruption;
  /** Cuts the connection on purpose (a fault), so the log does not count it as a client abort. */
  readonly cut: () => void;
}

export type RouteHandler = (ctx: SandboxContext) => void | Promise<void>;

export interface Route {
  readonly method: HttpMethod;
  readonly path: string;
  readonly handler: RouteHandler;
}

export interface RouteMatch {
  handler: RouteHandler;
  params: Record<string, string>;
}

interface PatternRoute {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler;
}

export class SandboxRouter {
  private readonly exact = new Map<string, RouteHandler>();
  private readonly patterns: PatternRoute[] = [];

  constructor(routes: Iterable<Route>) {
    const seen = new Set<string>();
    for (const route of routes) {
      const key = routeKey(route.method, route.path);
      if (seen.has(key)) throw new Error(`sandbox route registered twice: ${key}`);
      seen.add(key);
      if (!route.path.includes('{')) {
        this.exact.set(key, route.handler);
        continue;
      }
      const { pattern, names } = compilePattern(route.path);
      this.patterns.push({ method: route.method, pattern, names, handler: route.handler });
    }
  }

  match(method: string, path: string): RouteMatch | undefined {
    // Tolerate one trailing slash, as clients that join base URLs carelessly send `/v1/models/`.
    const normalised = path.length > 1 ? path.replace(/\/$/, '') : path;
    const handler = this.exact.get(routeKey(method, normalised));
    if (handler) return { handler, params: {} };
    for (const route of this.patterns) {
      if (route.method !== method.toUpperCase()) continue;
      const found = route.pattern.exec(normalised);
      if (!found) continue;
      const params: Record<string, string> = {};
      try {
        route.names.forEach((name, i) => (params[name] = decodeURIComponent(found[i + 1])));
      } catch {
        continue; // a malformed %-escape matches nothing
      }
      return { handler: route.handler, params };
    }
    return undefined;
  }
}

function compilePattern(path: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path
    .split(/(\{\w+\*?\})/)
    .map((piece) => {
      const placeholder = /^\{(\w+)(\*?)\}$/.exec(piece);
      if (!placeholder) return piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(placeholder[1]);
      return placeholder[2] ? '(.+)' : '([^/:]+)';
    })
    .join('');
  return { pattern: new RegExp(`^${source}$`), names };
}

function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}
