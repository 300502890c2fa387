import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';

/**
 * An error answer of a Suno relay (`{"code": "...", "message": "...", "data": null}`) as the gateway's error: the
 * caller's own mistakes (400, 422) keep the relay's message; credentials, throttling and failures are 503 without
 * its wording.
 *
 * Every error carries the upstream's HTTP status as `cause.upstreamStatus` (see `upstreamStatusOf`): an answer
 * tells whether the upstream acted on a request; a failure without one may not.
 */
export function sunoError(status: number, bodyText: string): GatewayError {
  if (status === 401 || status === 402 || status === 403) {
    return new GatewayError(ErrorCode.UpstreamUnavailable, "The upstream provider (suno) refused the gateway's credentials.", {
      cause: { upstreamStatus: status },
    });
  }
  if (status === 429 || status >= 500) {
    return new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (suno) is temporarily unavailable (HTTP ${status}).`, {
      cause: { upstreamStatus: status },
    });
  }
  if (status === 404)
    return new GatewayError(ErrorCode.NotFound, 'The upstream provider (suno) does not know this music task.', { cause: { upstreamStatus: status } });
  return new GatewayError(ErrorCode.UpstreamRejected, messageOf(bodyText) ?? `The upstream provider rejected the request (HTTP ${status}).`, {
    status: 400,
    cause: { upstreamStatus: status },
  });
}

function messageOf(text: string): string | undefined {
  try {
    const json = JSON.parse(text) as { message?: unknown };
    return typeof json.message === 'string' && json.message ? json.message : undefined;
  } catch {
    return undefined;
  }
}
