import { GatewayError } from '@apitopmix/platform/errors';

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
}

/** Anthropic's error type for each status it documents. */
const TYPES: Record<number, AnthropicErrorType> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'overloaded_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** The type for a status: Anthropic's own, else `invalid_request_error` for a 4xx (as Anthropic does) and `api_error` for a 5xx. */
export function anthropicErrorType(status: number): AnthropicErrorType {
  return TYPES[status] ?? (status < 500 ? 'invalid_request_error' : 'api_error');
}

/**
 * The gateway's error in Anthropic's shape `{type:"error", error:{type, message}}`. The HTTP status stays the
 * gateway's (a 503 is not turned into Anthropic's 529); only the type follows Anthropic's names.
 */
export function toAnthropicError(error: GatewayError): { status: number; body: AnthropicErrorBody } {
  return { status: error.status, body: { type: 'error', error: { type: anthropicErrorType(error.status), message: error.message } } };
}
