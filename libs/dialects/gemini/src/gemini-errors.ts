import type { GatewayError } from '@apitopmix/platform/errors';
import type { GeminiErrorBody } from './gemini.types';

/**
 * Google's canonical status names by HTTP status (google.rpc.Code). 402 is RESOURCE_EXHAUSTED, as Google's own 402
 * (prepaid credit used up) is: the caller's balance is a quota it has run out of, and SDKs treat it as such rather
 * than as FAILED_PRECONDITION, which Google keeps for a project setup problem.
 */
const statusNames: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  402: 'RESOURCE_EXHAUSTED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export function geminiStatusName(status: number): string {
  return statusNames[status] ?? (status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT');
}

/**
 * The gateway's error in Google's shape `{error:{code,message,status}}`, with the google.rpc details Google's
 * clients read: ErrorInfo (reason: the gateway's error code), BadRequest (the field at fault), RetryInfo (429s).
 */
export function toGeminiError(error: GatewayError): { status: number; body: GeminiErrorBody } {
  const status = error.status;
  const details: Record<string, unknown>[] = [
    { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: error.code.toUpperCase(), domain: 'apitopmix.com' },
  ];
  if (error.param)
    details.push({ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: error.param, description: error.message }] });
  if (error.retryAfterSeconds !== undefined) details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${error.retryAfterSeconds}s` });
  return { status, body: { error: { code: status, message: error.message, status: geminiStatusName(status), details } } };
}
