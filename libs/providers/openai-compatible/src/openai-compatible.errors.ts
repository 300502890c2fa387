import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';

/**
 * An upstream's error response as the gateway's error. A 4xx that is the caller's fault (a bad parameter) goes back
 * with the upstream's status and message; the upstream refusing our own credentials, throttling us, or failing is
 * the gateway's problem and becomes 503 without the upstream's wording (it may name our account).
 */
export function openAiCompatibleError(provider: string, status: number, bodyText: string): GatewayError {
  // 402 is the upstream billing *our* account (DeepSeek, OpenRouter): never the caller's business.
  if (status === 401 || status === 402 || status === 403) {
    return new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${provider}) refused the gateway's credentials.`);
  }
  if (status === 429 || status >= 500) {
    return new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${provider}) is temporarily unavailable (HTTP ${status}).`);
  }
  const upstream = parseError(bodyText);
  return new GatewayError(ErrorCode.UpstreamRejected, upstream.message ?? `The upstream provider rejected the request (HTTP ${status}).`, {
    status: status === 404 ? 400 : status,
    param: upstream.param,
  });
}

function parseError(text: string): { message?: string; param?: string } {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown; param?: unknown } };
    const message = typeof parsed.error?.message === 'string' ? parsed.error.message : undefined;
    const param = typeof parsed.error?.param === 'string' ? parsed.error.param : undefined;
    return { message, param };
  } catch {
    return {};
  }
}
