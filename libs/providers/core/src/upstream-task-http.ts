import { Dispatcher } from 'undici';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { upstreamTransportError } from './upstream-http';

/**
 * Asynchronous task APIs (video, music): a short JSON call to submit a task, then short JSON calls to read its
 * state. Each call has one timeout for the whole exchange.
 */
export interface UpstreamJsonRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** JSON text, for POST. */
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface UpstreamJsonResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One call; timeouts become UpstreamTimeout and connection failures UpstreamUnavailable (the cause is kept). */
export async function requestUpstreamJson(agent: Dispatcher, provider: string, request: UpstreamJsonRequest): Promise<UpstreamJsonResponse> {
  const url = new URL(request.url);
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  try {
    const response = await agent.request({
      method: request.method,
      origin: url.origin,
      path: url.pathname + url.search,
      headers: { accept: 'application/json', ...(request.body === undefined ? {} : { 'content-type': 'application/json' }), ...request.headers },
      body: request.body,
      headersTimeout: request.timeoutMs,
      bodyTimeout: request.timeoutMs,
      signal,
    });
    return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
  } catch (error) {
    // Our own deadline aborts with a TimeoutError: that is a timeout, not a connection failure.
    if (timeout.aborted && !request.signal?.aborted) {
      throw new GatewayError(ErrorCode.UpstreamTimeout, `The upstream provider (${provider}) did not answer in time.`, { cause: error });
    }
    throw upstreamTransportError(provider, error);
  }
}

/** Error codes of failures before a request could be written to the network: the upstream cannot have seen it. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * True when a failed call certainly never reached the upstream (the connection could not be opened), so repeating
 * it cannot create a second task. Timeouts and connections cut after the request was written are not: the
 * upstream may have acted on the request.
 */
export function neverReachedUpstream(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return true;
  }
  return false;
}

/**
 * What an asynchronous task API says about one task, in the gateway's words: still running (with a percentage when
 * the upstream gives one), done with its result, or failed with a reason fit for the client.
 */
export type UpstreamTaskState<R> = { status: 'running'; progress?: number } | { status: 'succeeded'; result: R } | { status: 'failed'; reason: string };

/** `"45%"`, `45`, `"45"` → 45, clamped to 0–100; anything else → undefined. */
export function parseProgress(value: unknown): number | undefined {
  const digits = typeof value === 'string' ? value.trim().replace(/%$/, '').trim() : undefined;
  const raw = digits === undefined ? value : digits === '' ? undefined : Number(digits);
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return undefined;
  return Math.max(0, Math.min(100, Math.round(raw)));
}

/** The HTTP status an upstream answered with, when an error came from an answer (adapters set `cause.upstreamStatus`). */
export function upstreamStatusOf(error: unknown): number | undefined {
  const status = (error as { cause?: { upstreamStatus?: unknown } } | undefined)?.cause?.upstreamStatus;
  return typeof status === 'number' ? status : undefined;
}
