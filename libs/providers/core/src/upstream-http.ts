import { Agent, Dispatcher, errors } from 'undici';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { withRetryAfter } from './retry-after';
import { UpstreamTimeouts } from './upstream.types';

/**
 * One connection pool for all upstream traffic of a process: keep-alive connections are reused across requests,
 * pipelining off (LLM responses are long), Nagle off for streams.
 */
export function createUpstreamAgent(): Agent {
  return new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    connections: 256,
    pipelining: 1,
    connect: { noDelay: true, keepAlive: true },
  });
}

export interface UpstreamPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeouts: UpstreamTimeouts;
  signal?: AbortSignal;
}

/** POSTs JSON upstream. Timeouts become UpstreamTimeout, connection failures UpstreamUnavailable. */
export async function postUpstream(agent: Dispatcher, provider: string, request: UpstreamPost): Promise<Dispatcher.ResponseData> {
  try {
    return await agent.request({
      method: 'POST',
      path: new URL(request.url).pathname + new URL(request.url).search,
      origin: new URL(request.url).origin,
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...request.headers },
      body: request.body,
      headersTimeout: request.timeouts.firstByteMs,
      bodyTimeout: request.timeouts.idleMs,
      signal: request.signal,
    });
  } catch (error) {
    throw upstreamTransportError(provider, error);
  }
}

/**
 * POSTs upstream and turns an error status into the format's own GatewayError (`toError` reads the body), carrying
 * the upstream's Retry-After so the router can honour it.
 */
export async function postUpstreamChecked(
  agent: Dispatcher,
  provider: string,
  request: UpstreamPost,
  toError: (status: number, body: string) => GatewayError,
): Promise<Dispatcher.ResponseData> {
  const response = await postUpstream(agent, provider, request);
  if (response.statusCode >= 400) {
    const text = await response.body.text().catch(() => '');
    throw withRetryAfter(toError(response.statusCode, text), response.headers);
  }
  return response;
}

export function upstreamTransportError(provider: string, error: unknown): GatewayError {
  if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) {
    return new GatewayError(ErrorCode.UpstreamTimeout, `The upstream provider (${provider}) did not answer in time.`, { cause: error });
  }
  if (error instanceof GatewayError) return error;
  return new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${provider}) is unreachable.`, { cause: error });
}
