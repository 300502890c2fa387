import { GatewayError } from '@apitopmix/platform/errors';

type Headers = Record<string, string | string[] | undefined>;

/**
 * Seconds from an upstream's `Retry-After` header (delta-seconds or an HTTP date), or undefined. Lets the router
 * wait as long as the upstream asked before trying that deployment again.
 */
export function retryAfterSeconds(headers: Headers, now = Date.now()): number | undefined {
  const raw = headers['retry-after'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/** The same error, carrying the upstream's Retry-After when it sent one. */
export function withRetryAfter(error: GatewayError, headers: Headers): GatewayError {
  const seconds = retryAfterSeconds(headers);
  if (seconds === undefined) return error;
  return new GatewayError(error.code, error.message, { param: error.param, status: error.status, retryAfterSeconds: seconds, cause: error.cause });
}
