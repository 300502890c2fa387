import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';

/**
 * An error answer of xAI's API (`{"code": "...", "error": "..."}`) as the gateway's error. The caller's own
 * mistakes (400, 422: a prompt refused, a bad parameter) keep the upstream's message; the upstream refusing our
 * credentials, throttling us or failing is 503 without its wording (it may name our account).
 *
 * Every error carries the upstream's HTTP status as `cause.upstreamStatus` (see `upstreamStatusOf`): an answer
 * tells whether the upstream acted on a request; a failure without one may not.
 */
export function xaiVideoError(status: number, bodyText: string): GatewayError {
  if (status === 401 || status === 402 || status === 403) {
    return new GatewayError(ErrorCode.UpstreamUnavailable, "The upstream provider (xai-video) refused the gateway's credentials.", {
      cause: { upstreamStatus: status },
    });
  }
  if (status === 429 || status >= 500) {
    return new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (xai-video) is temporarily unavailable (HTTP ${status}).`, {
      cause: { upstreamStatus: status },
    });
  }
  if (status === 404)
    return new GatewayError(ErrorCode.NotFound, 'The upstream provider (xai-video) does not know this video task.', { cause: { upstreamStatus: status } });
  return new GatewayError(ErrorCode.UpstreamRejected, messageOf(bodyText) ?? `The upstream provider rejected the request (HTTP ${status}).`, {
    status: 400,
    cause: { upstreamStatus: status },
  });
}

function messageOf(text: string): string | undefined {
  try {
    const json = JSON.parse(text) as { error?: unknown; message?: unknown };
    if (typeof json.error === 'string') return json.error;
    if (typeof (json.error as { message?: unknown } | undefined)?.message === 'string') return (json.error as { message: string }).message;
    return typeof json.message === 'string' ? json.message : undefined;
  } catch {
    return undefined;
  }
}
