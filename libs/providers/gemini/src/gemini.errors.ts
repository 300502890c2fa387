import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';

interface GoogleError {
  message?: string;
  status?: string;
  reasons: string[];
}

/** ErrorInfo reasons Google gives when the key, or the project behind it, is at fault: ours, never the caller's. */
const accountReasons = new Set(['API_KEY_INVALID', 'API_KEY_EXPIRED', 'API_KEY_SERVICE_BLOCKED', 'SERVICE_DISABLED', 'BILLING_DISABLED', 'CONSUMER_INVALID']);

/**
 * A Google error response (`{error:{code,message,status,details}}`) as the gateway's error. The caller's own
 * mistakes (400 INVALID_ARGUMENT, 404 NOT_FOUND, other 4xx) go back with Google's status and message. Google refusing
 * our key or account (401, 402, 403, and the 400s that are about the key or the project: API_KEY_INVALID,
 * FAILED_PRECONDITION for billing or location), throttling us (429) or failing (5xx) is the gateway's problem: 503
 * without Google's wording, which may name our project.
 */
export function geminiUpstreamError(provider: string, status: number, bodyText: string): GatewayError {
  const upstream = parseError(bodyText);
  const ourAccount = upstream.status === 'FAILED_PRECONDITION' || upstream.reasons.some((reason) => accountReasons.has(reason));
  if (status === 401 || status === 402 || status === 403 || (status === 400 && ourAccount)) {
    return new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${provider}) refused the gateway's credentials.`);
  }
  if (status === 429 || status >= 500) {
    return new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${provider}) is temporarily unavailable (HTTP ${status}).`);
  }
  return new GatewayError(ErrorCode.UpstreamRejected, upstream.message ?? `The upstream provider rejected the request (HTTP ${status}).`, { status });
}

function parseError(text: string): GoogleError {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown; status?: unknown; details?: unknown } } | null;
    const error = parsed?.error;
    const details = Array.isArray(error?.details) ? (error.details as { reason?: unknown }[]) : [];
    return {
      message: typeof error?.message === 'string' && error.message !== '' ? error.message : undefined,
      status: typeof error?.status === 'string' ? error.status : undefined,
      reasons: details.map((detail) => detail?.reason).filter((reason): reason is string => typeof reason === 'string'),
    };
  } catch {
    return { reasons: [] };
  }
}
