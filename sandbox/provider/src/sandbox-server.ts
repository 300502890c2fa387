// The sandbox provider's HTTP server: shared plumbing (request log, latency, abort tracking, routing) in front of
// one route module per wire format. Test and demo infrastructure only: no gateway code path imports it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { anthropicEdge, anthropicRoutes } from './anthropic/anthropic.routes';
import { CONTROL_PREFIX, loopbackOnly, sandboxControlRoutes } from './control/sandbox-control.routes';
import { geminiEdge, geminiRoutes } from './gemini/gemini.routes';
import { mediaControlRoutes } from './media/media-control.routes';
import { mediaFileRoutes } from './media/media-files.routes';
import { MediaTaskStore } from './media/media-task-store';
import { sunoRoutes } from './media/suno.routes';
import { xaiVideoRoutes } from './media/xai-video.routes';
import { openAiEdge, openAiRoutes } from './openai/openai.routes';
import { DEPLOYMENT_NAME_PATTERN } from './shared/fault-rules';
import { BodyTooLargeError, isAbortError, pause, readBody } from './shared/http-io';
import { DEFAULT_REQUEST_LOG_SIZE, parseRecordedBody, redactHeaders, redactPath, RequestLog } from './shared/request-log';
import { SandboxRouter, type SandboxContext } from './shared/sandbox-router';
import { DEFAULT_SANDBOX_SETTINGS, sandboxSettingsSchema, type SandboxSettings } from './shared/sandbox-settings';
import type { WireFormat } from './shared/wire-format';

export type { SandboxSettings } from './shared/sandbox-settings';
export type { RequestRecord } from './shared/request-log';
export type { FaultRule, FaultState } from './shared/fault-rules';

/** What the server needs from a wire format for requests no route of it answered properly. */
export interface WireFormatEdge {
  /** Unknown path, or known path with the wrong method. */
  notFound(ctx: SandboxContext): void;
  bodyTooLarge(res: ServerResponse, limitBytes: number): void;
  internalError(res: ServerResponse): void;
}

const EDGES: Record<WireFormat, WireFormatEdge> = { openai: openAiEdge, anthropic: anthropicEdge, gemini: geminiEdge };

/**
 * Which format's envelope answers a path no route claimed (and transport-level failures): Anthropic's under
 * `/v1/messages` and `/v1/complete`, Google's under `/v1beta/` and for `/v1/models/<id>:<method>`, otherwise
 * OpenAI's, the one most clients understand.
 */
export function wireFormatOfPath(path: string): WireFormat {
  if (/^\/v1\/(messages|complete)(\/|$)/.test(path)) return 'anthropic';
  if (path.startsWith('/v1beta/') || /^\/v1\/models\/[^/]+:/.test(path)) return 'gemini';
  return 'openai';
}

/** `/d/east/v1/chat/completions` → `{ deployment: 'east', path: '/v1/chat/completions' }`. */
export function splitDeployment(pathname: string): { deployment: string | null; path: string } {
  const match = /^\/d\/([^/]+)(\/.*)$/.exec(pathname);
  if (!match || !DEPLOYMENT_NAME_PATTERN.test(match[1])) return { deployment: null, path: pathname };
  return { deployment: match[1], path: match[2] };
}

export interface SandboxOptions {
  /** The key clients must send (OpenAI `Authorization: Bearer`, Anthropic `x-api-key`, Gemini `x-goog-api-key`). */
  apiKey: string;
  latencyMs?: number;
  chunkDelayMs?: number;
  /** How many provider requests `GET /_sandbox/requests` keeps (default 200). */
  requestLogSize?: number;
  /** Larger bodies get a 413 (default 16 MiB: room for base64 images, a bound against runaway clients). */
  maxBodyBytes?: number;
  /** Silent when omitted, so tests embedding the sandbox stay quiet. */
  logger?: Logger;
  /** How long a video or music task takes (default 8 s); `PUT /_sandbox/media` changes it later. */
  mediaTaskMs?: number;
}

export interface SandboxServer {
  server: Server;
  /** Resolves with the port actually bound (pass 0 for any free port). */
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting, cuts open connections (in-flight streams are recorded as aborted), then resolves. */
  close(): Promise<void>;
  /** The live settings: assign to them, or PUT /_sandbox/settings, to change later requests. */
  settings: SandboxSettings;
  /** Video and music tasks (xAI video, Suno) and their knobs (also `/_sandbox/media`). */
  mediaTasks: MediaTaskStore;
}

const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

export function createSandboxServer(options: SandboxOptions): SandboxServer {
  const settings: SandboxSettings = {
    ...sandboxSettingsSchema.parse({
      latencyMs: options.latencyMs ?? DEFAULT_SANDBOX_SETTINGS.latencyMs,
      chunkDelayMs: options.chunkDelayMs ?? DEFAULT_SANDBOX_SETTINGS.chunkDelayMs,
    }),
    faults: [],
  };
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const logger = options.logger ?? pino({ enabled: false });
  const requestLog = new RequestLog(options.requestLogSize ?? DEFAULT_REQUEST_LOG_SIZE);
  const mediaTasks = new MediaTaskStore(options.mediaTaskMs);
  const router = new SandboxRouter([
    ...openAiRoutes({ apiKey: options.apiKey }),
    ...anthropicRoutes({ apiKey: options.apiKey }),
    ...geminiRoutes({ apiKey: options.apiKey }),
    ...xaiVideoRoutes({ apiKey: options.apiKey, store: mediaTasks }),
    ...sunoRoutes({ apiKey: options.apiKey, store: mediaTasks }),
    ...mediaFileRoutes({ store: mediaTasks }),
    ...sandboxControlRoutes({ requestLog, settings }),
    ...mediaControlRoutes({ store: mediaTasks, loopbackOnly }),
  ]);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = Date.now();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const method = req.method ?? 'GET';
    // One sandbox stands in for several upstream deployments: `/d/<name>/...` serves every route under a prefix.
    const { deployment, path } = splitDeployment(url.pathname);
    const isControl = deployment === null && path.startsWith(CONTROL_PREFIX);
    const record = isControl
      ? undefined
      : requestLog.add({
          at: new Date(startedAt).toISOString(),
          method,
          path: redactPath(url),
          deployment,
          format: null,
          headers: redactHeaders(req.headers),
          body: null,
          status: null,
          aborted: false,
          chunksSent: 0,
          fault: null,
        });
    const edge = EDGES[wireFormatOfPath(path)];
    if (deployment !== null) res.setHeader('x-sandbox-deployment', deployment);

    // A response that closes before it finished means the client went away: stop all work for it at once.
    const disconnect = new AbortController();
    let cutByServer = false;
    res.once('close', () => {
      if (!res.writableFinished && !cutByServer) {
        disconnect.abort();
        if (record) record.aborted = true;
      }
      if (record) {
        record.status = res.headersSent ? res.statusCode : null;
        // Never the body or the headers: prompts and keys stay out of logs, even sandbox ones.
        const { path, status, aborted, chunksSent } = record;
        logger.debug({ method, path, status, aborted, chunksSent, ms: Date.now() - startedAt }, 'sandbox request');
      }
    });

    try {
      const body = await readBody(req, maxBodyBytes);
      if (record) record.body = parseRecordedBody(body);
      // The control API lives at the root only: under a deployment prefix it is an unknown provider path.
      const match = deployment !== null && path.startsWith(CONTROL_PREFIX) ? undefined : router.match(method, path);
      const ctx: SandboxContext = {
        req,
        res,
        url,
        path,
        deployment,
        params: match?.params ?? {},
        body,
        signal: disconnect.signal,
        // The fault list is shared, not copied: spending a rule must be visible to later requests.
        settings: { ...settings },
        record,
        cut: () => {
          cutByServer = true;
          // End the socket (FIN after what was written) rather than reset it: a reset could make the client drop
          // bytes it already received, and the test could not tell how many chunks arrived before the cut.
          if (res.socket) res.socket.end();
          else res.destroy();
        },
      };
      // Latency applies to everything a provider would answer, errors included, but never to the control API.
      if (!isControl) await pause(ctx.settings.latencyMs, ctx.signal);
      // Paths no wire format claims, and transport-level failures below, get the envelope of the format the path
      // belongs to.
      const handler = match?.handler ?? edge.notFound;
      await handler(ctx);
    } catch (error) {
      if (disconnect.signal.aborted || isAbortError(error)) return;
      if (error instanceof BodyTooLargeError) {
        edge.bodyTooLarge(res, error.limitBytes);
        return;
      }
      logger.error({ err: error, method, path: url.pathname }, 'sandbox request failed');
      if (!res.headersSent) {
        edge.internalError(res);
      } else {
        // Mid-stream there is no way to report an error but to cut the stream; that is not a client abort.
        cutByServer = true;
        res.destroy();
      }
    }
  }

  const server = createServer((req, res) => void handle(req, res));

  return {
    server,
    settings,
    mediaTasks,
    listen(port, host = '127.0.0.1') {
      return new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.close((error) => (error ? reject(error) : resolve()));
        // Idle keep-alive sockets and running streams would otherwise hold close() open for seconds.
        server.closeAllConnections();
      });
    },
  };
}
