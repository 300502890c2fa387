// The sandbox provider's HTTP server: shared plumbing (request log, latency, abort tracking, routing) in front of
// one route module per wire format. Test and demo infrastructure only: no gateway code path imports it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { CONTROL_PREFIX, sandboxControlRoutes } from './control/sandbox-control.routes';
import { OpenAiError, sendOpenAiError } from './openai/openai-error';
import { openAiNotFound, openAiRoutes } from './openai/openai.routes';
import { BodyTooLargeError, isAbortError, pause, readBody } from './shared/http-io';
import {
  DEFAULT_REQUEST_LOG_SIZE,
  parseRecordedBody,
  redactHeaders,
  redactPath,
  RequestLog,
} from './shared/request-log';
import { SandboxRouter, type SandboxContext } from './shared/sandbox-router';
import { DEFAULT_SANDBOX_SETTINGS, sandboxSettingsSchema, type SandboxSettings } from './shared/sandbox-settings';

export type { SandboxSettings } from './shared/sandbox-settings';
export type { RequestRecord } from './shared/request-log';

export interface SandboxOptions {
  /** The key clients must send (`Authorization: Bearer <apiKey>` for the OpenAI format). */
  apiKey: string;
  latencyMs?: number;
  chunkDelayMs?: number;
  /** How many provider requests `GET /_sandbox/requests` keeps (default 200). */
  requestLogSize?: number;
  /** Larger bodies get a 413 (default 16 MiB: room for base64 images, a bound against runaway clients). */
  maxBodyBytes?: number;
  /** Silent when omitted, so tests embedding the sandbox stay quiet. */
  logger?: Logger;
}

export interface SandboxServer {
  server: Server;
  /** Resolves with the port actually bound (pass 0 for any free port). */
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting, cuts open connections (in-flight streams are recorded as aborted), then resolves. */
  close(): Promise<void>;
  /** The live settings: assign to them, or PUT /_sandbox/settings, to change later requests. */
  settings: SandboxSettings;
}

const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

export function createSandboxServer(options: SandboxOptions): SandboxServer {
  const settings: SandboxSettings = sandboxSettingsSchema.parse({
    latencyMs: options.latencyMs ?? DEFAULT_SANDBOX_SETTINGS.latencyMs,
    chunkDelayMs: options.chunkDelayMs ?? DEFAULT_SANDBOX_SETTINGS.chunkDelayMs,
  });
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const logger = options.logger ?? pino({ enabled: false });
  const requestLog = new RequestLog(options.requestLogSize ?? DEFAULT_REQUEST_LOG_SIZE);
  const router = new SandboxRouter([
    ...openAiRoutes({ apiKey: options.apiKey }),
    ...sandboxControlRoutes({ requestLog, settings }),
  ]);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = Date.now();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const method = req.method ?? 'GET';
    const isControl = url.pathname.startsWith(CONTROL_PREFIX);
    const record = isControl
      ? undefined
      : requestLog.add({
          at: new Date(startedAt).toISOString(),
          method,
          path: redactPath(url),
          headers: redactHeaders(req.headers),
          body: null,
          status: null,
          aborted: false,
          chunksSent: 0,
        });

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
      const ctx: SandboxContext = {
        req,
        res,
        url,
        body,
        signal: disconnect.signal,
        settings: { ...settings },
        record,
      };
      // Latency applies to everything a provider would answer, errors included, but never to the control API.
      if (!isControl) await pause(ctx.settings.latencyMs, ctx.signal);
      // Paths no wire format claims, and transport-level failures below, are answered in OpenAI's envelope, the
      // one most clients understand. When other formats arrive, choose the envelope by path prefix.
      const handler = router.match(method, url.pathname) ?? openAiNotFound;
      await handler(ctx);
    } catch (error) {
      if (disconnect.signal.aborted || isAbortError(error)) return;
      if (error instanceof BodyTooLargeError) {
        sendOpenAiError(res, OpenAiError.bodyTooLarge(error.limitBytes));
        return;
      }
      logger.error({ err: error, method, path: url.pathname }, 'sandbox request failed');
      if (!res.headersSent) {
        sendOpenAiError(res, OpenAiError.internal());
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
