// Google's error envelope, `{error:{code, message, status, details?}}`, with the canonical status names Google
// APIs pair with HTTP codes, and the exact messages the Gemini API uses for the cases the sandbox reproduces.
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { sendJson } from '../shared/http-io';

export type GoogleStatus =
  | 'INVALID_ARGUMENT'
  | 'FAILED_PRECONDITION'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'ABORTED'
  | 'RESOURCE_EXHAUSTED'
  | 'CANCELLED'
  | 'INTERNAL'
  | 'UNIMPLEMENTED'
  | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED';

export interface GeminiErrorBody {
  error: { code: number; message: string; status: GoogleStatus; details?: unknown[] };
}

export function googleStatusOf(code: number): GoogleStatus {
  switch (code) {
    case 400:
      return 'INVALID_ARGUMENT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'PERMISSION_DENIED';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'ABORTED';
    case 429:
      return 'RESOURCE_EXHAUSTED';
    case 499:
      return 'CANCELLED';
    case 501:
      return 'UNIMPLEMENTED';
    case 503:
      return 'UNAVAILABLE';
    case 504:
      return 'DEADLINE_EXCEEDED';
    default:
      return code >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION';
  }
}

const MESSAGES: Partial<Record<GoogleStatus, string>> = {
  INVALID_ARGUMENT: 'Request contains an invalid argument.',
  UNAUTHENTICATED:
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid ' +
    'authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
  PERMISSION_DENIED: 'The caller does not have permission',
  NOT_FOUND: 'Requested entity was not found.',
  RESOURCE_EXHAUSTED:
    'You exceeded your current quota, please check your plan and billing details. For more information on this ' +
    'error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
  INTERNAL: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  UNAVAILABLE: 'The model is overloaded. Please try again later.',
  DEADLINE_EXCEEDED: 'Deadline expired before operation could complete.',
};

const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';
const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';

export class GeminiError extends Error {
  readonly status: GoogleStatus;

  constructor(
    readonly code: number,
    message: string,
    readonly details?: unknown[],
  ) {
    super(message);
    this.name = 'GeminiError';
    this.status = googleStatusOf(code);
  }

  toBody(): GeminiErrorBody {
    return {
      error: { code: this.code, message: this.message, status: this.status, ...(this.details ? { details: this.details } : {}) },
    };
  }

  static invalidArgument(message: string): GeminiError {
    return new GeminiError(400, message);
  }

  /** The error Google sends with `code` (fault rules); a 429 with a retry delay carries RetryInfo, as Gemini's does. */
  static forStatus(code: number, retryAfterSeconds?: number): GeminiError {
    const status = googleStatusOf(code);
    const details = code === 429 && retryAfterSeconds !== undefined ? [{ '@type': RETRY_INFO, retryDelay: `${retryAfterSeconds}s` }] : undefined;
    return new GeminiError(code, MESSAGES[status] ?? `The sandbox provider answered HTTP ${code}.`, details);
  }

  static missingApiKey(): GeminiError {
    return new GeminiError(
      403,
      "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or " +
        'other form of API consumer identity to call this API.',
    );
  }

  /** Google answers a wrong key with 400 INVALID_ARGUMENT and reason API_KEY_INVALID, not with a 401. */
  static invalidApiKey(): GeminiError {
    return new GeminiError(400, 'API key not valid. Please pass a valid API key.', [
      {
        '@type': ERROR_INFO,
        reason: 'API_KEY_INVALID',
        domain: 'googleapis.com',
        metadata: { service: 'generativelanguage.googleapis.com' },
      },
    ]);
  }

  /** A bearer token instead of an API key: the sandbox has no OAuth, so it is always refused. */
  static unauthenticated(): GeminiError {
    return new GeminiError(401, MESSAGES.UNAUTHENTICATED as string, [
      { '@type': ERROR_INFO, reason: 'ACCESS_TOKEN_TYPE_UNSUPPORTED', domain: 'googleapis.com' },
    ]);
  }

  static notFound(message = MESSAGES.NOT_FOUND as string): GeminiError {
    return new GeminiError(404, message);
  }

  static bodyTooLarge(limitBytes: number): GeminiError {
    return new GeminiError(413, `Request payload size exceeds the limit: ${limitBytes} bytes.`);
  }

  static internal(): GeminiError {
    return new GeminiError(500, MESSAGES.INTERNAL as string);
  }
}

/**
 * Sends the error. `asArray` is for streamGenerateContent without `alt=sse`, where Google wraps even an error in
 * the JSON array the stream would have been.
 */
export function sendGeminiError(res: ServerResponse, error: GeminiError, headers: OutgoingHttpHeaders = {}, asArray = false): void {
  sendJson(res, error.code, asArray ? [error.toBody()] : error.toBody(), headers);
}
