import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';

/** The HTTP status Anthropic gives each error type (for errors that arrive inside a stream, without one). */
export const ANTHROPIC_ERROR_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** A 400 about the gateway's own Anthropic account (credit balance, spend limits), not about the request. */
const ACCOUNT_PROBLEM = /credit balance|spend(ing)? limit|billing|plans? & billing|organization (has been|is) (disabled|suspended)/i;

/**
 * An Anthropic error response (`{type:"error", error:{type, message}}`) as the gateway's error. A 4xx that is the
 * caller's fault goes back with Anthropic's status and message (404, which means our model id or path, becomes 400,
 * as for OpenAI-compatible upstreams); Anthropic refusing our key, billing our account, throttling us, failing or
 * being overloaded (529) is the gateway's problem and becomes 503 without Anthropic's wording.
 */
export function anthropicError(provider: string, status: number, bodyText: string): GatewayError {
  if (status === 401 || status === 402 || status === 403) {
    return new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${provider}) refused the gateway's credentials.`);
  }
  if (status === 429 || status >= 500) {
    return new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${provider}) is temporarily unavailable (HTTP ${status}).`);
  }
  const message = parseMessage(bodyText);
  if (message !== undefined && ACCOUNT_PROBLEM.test(message)) {
    return new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${provider}) refused the gateway's account.`);
  }
  return new GatewayError(ErrorCode.UpstreamRejected, message ?? `The upstream provider rejected the request (HTTP ${status}).`, {
    status: status === 404 ? 400 : status,
  });
}

/** An error event inside a stream (`event: error`), which has a type but no HTTP status. */
export function anthropicStreamError(provider: string, data: string): GatewayError {
  let type: unknown;
  try {
    type = (JSON.parse(data) as { error?: { type?: unknown } } | null)?.error?.type;
  } catch {
    type = undefined;
  }
  return anthropicError(provider, (typeof type === 'string' && ANTHROPIC_ERROR_STATUS[type]) || 500, data);
}

function parseMessage(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } } | null;
    return typeof parsed?.error?.message === 'string' ? parsed.error.message : undefined;
  } catch {
    return undefined;
  }
}
