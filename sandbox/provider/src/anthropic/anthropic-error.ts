// Anthropic's error envelope, `{type:"error", error:{type, message}, request_id}`, its documented status/type
// pairs, and the exact messages the real API uses for the cases the sandbox reproduces.
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { sendJson } from '../shared/http-io';

export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: AnthropicErrorType; message: string };
  request_id: string | null;
}

/** Anthropic's status → error type table (https://docs.claude.com/en/api/errors). */
export function anthropicErrorType(status: number): AnthropicErrorType {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 504:
      return 'timeout_error';
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

const MESSAGES_BY_TYPE: Record<AnthropicErrorType, string> = {
  invalid_request_error: 'There was an issue with the format or content of your request.',
  authentication_error: 'invalid x-api-key',
  billing_error: 'Your credit balance is too low to access the Anthropic API.',
  permission_error: 'Your API key does not have permission to use the specified resource.',
  not_found_error: 'Not Found',
  request_too_large: 'Request exceeds the maximum allowed number of bytes.',
  rate_limit_error:
    "This request would exceed your organization's rate limit of 50 requests per minute. " +
    'For details, refer to: https://docs.claude.com/en/api/rate-limits.',
  api_error: 'Internal server error',
  timeout_error: 'Request timed out',
  overloaded_error: 'Overloaded',
};

export class AnthropicError extends Error {
  readonly type: AnthropicErrorType;

  constructor(
    readonly status: number,
    message: string,
    type?: AnthropicErrorType,
  ) {
    super(message);
    this.name = 'AnthropicError';
    this.type = type ?? anthropicErrorType(status);
  }

  toBody(requestId: string | null = null): AnthropicErrorBody {
    return { type: 'error', error: { type: this.type, message: this.message }, request_id: requestId };
  }

  static invalidRequest(message: string): AnthropicError {
    return new AnthropicError(400, message, 'invalid_request_error');
  }

  /** The error Anthropic sends with `status` (fault rules): its type and usual wording. */
  static forStatus(status: number): AnthropicError {
    return new AnthropicError(status, MESSAGES_BY_TYPE[anthropicErrorType(status)]);
  }

  static missingApiKey(): AnthropicError {
    return new AnthropicError(401, 'x-api-key header is required');
  }

  static invalidApiKey(): AnthropicError {
    return new AnthropicError(401, 'invalid x-api-key');
  }

  static missingVersion(): AnthropicError {
    return AnthropicError.invalidRequest('anthropic-version: header is required');
  }

  static invalidVersion(version: string): AnthropicError {
    return AnthropicError.invalidRequest(`anthropic-version: "${version}" is not a valid version`);
  }

  static notFound(): AnthropicError {
    return new AnthropicError(404, 'Not Found');
  }

  static invalidJson(): AnthropicError {
    return AnthropicError.invalidRequest('The request body is not valid JSON.');
  }

  static bodyTooLarge(): AnthropicError {
    return new AnthropicError(413, MESSAGES_BY_TYPE.request_too_large);
  }

  static internal(): AnthropicError {
    return new AnthropicError(500, MESSAGES_BY_TYPE.api_error);
  }
}

/** Sends the error with the request id the endpoint put in the `request-id` header, as Anthropic does. */
export function sendAnthropicError(res: ServerResponse, error: AnthropicError, headers: OutgoingHttpHeaders = {}): void {
  const requestId = res.getHeader('request-id');
  sendJson(res, error.status, error.toBody(typeof requestId === 'string' ? requestId : null), headers);
}
