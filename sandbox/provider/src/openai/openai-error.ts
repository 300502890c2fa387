// OpenAI's documented error envelope, `{error:{message,type,param,code}}` (ErrorResponse in the OpenAPI spec),
// and the exact messages the real API uses for the cases the sandbox reproduces.
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { sendJson } from '../shared/http-io';

export type OpenAiErrorType = 'invalid_request_error' | 'server_error' | 'requests' | 'insufficient_quota' | 'request_forbidden';

export interface OpenAiErrorBody {
  error: { message: string; type: OpenAiErrorType; param: string | null; code: string | null };
}

export class OpenAiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: OpenAiErrorType = 'invalid_request_error',
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'OpenAiError';
  }

  toBody(): OpenAiErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }

  static missingApiKey(): OpenAiError {
    return new OpenAiError(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using " +
        'Bearer auth (i.e. Authorization: Bearer YOUR_KEY). ' +
        'This is the ApiTopMix sandbox provider: use the key set in SANDBOX_API_KEY.',
    );
  }

  static incorrectApiKey(key: string): OpenAiError {
    return new OpenAiError(
      401,
      `Incorrect API key provided: ${maskApiKey(key)}. ` + 'This is the ApiTopMix sandbox provider: use the key set in SANDBOX_API_KEY.',
      'invalid_request_error',
      null,
      'invalid_api_key',
    );
  }

  static invalidUrl(method: string, path: string): OpenAiError {
    return new OpenAiError(404, `Invalid URL (${method} ${path})`);
  }

  static invalidJson(): OpenAiError {
    return new OpenAiError(
      400,
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your " +
        'HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)',
    );
  }

  static bodyTooLarge(limitBytes: number): OpenAiError {
    return new OpenAiError(413, `Request body too large for the sandbox provider (limit ${limitBytes} bytes).`);
  }

  static internal(): OpenAiError {
    return new OpenAiError(500, 'The sandbox provider had an error while processing your request.', 'server_error');
  }

  /** The error OpenAI sends with `status`, for fault rules: its usual wording, type and code. */
  static forStatus(status: number): OpenAiError {
    switch (status) {
      case 400:
        return new OpenAiError(400, 'Bad request.');
      case 401:
        return new OpenAiError(401, 'Incorrect API key provided.', 'invalid_request_error', null, 'invalid_api_key');
      case 403:
        return new OpenAiError(403, 'Country, region, or territory not supported', 'request_forbidden', null, 'unsupported_country_region_territory');
      case 404:
        return new OpenAiError(404, 'The model does not exist or you do not have access to it.', 'invalid_request_error', null, 'model_not_found');
      case 429:
        return new OpenAiError(
          429,
          'Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.',
          'requests',
          null,
          'rate_limit_exceeded',
        );
      case 500:
        return new OpenAiError(500, 'The server had an error while processing your request. Sorry about that!', 'server_error');
      case 502:
        return new OpenAiError(502, 'Bad gateway.', 'server_error');
      case 503:
        return new OpenAiError(503, 'The engine is currently overloaded, please try again later', 'server_error');
      case 504:
        return new OpenAiError(504, 'Gateway timeout.', 'server_error');
      default:
        return new OpenAiError(status, `The sandbox provider answered HTTP ${status}.`, status >= 500 ? 'server_error' : 'invalid_request_error');
    }
  }
}

/** Like OpenAI: a few characters either end, stars between; short keys are masked entirely. */
export function maskApiKey(key: string): string {
  if (key.length < 16) return '*'.repeat(key.length);
  return `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}`;
}

export function sendOpenAiError(res: ServerResponse, error: OpenAiError, headers: OutgoingHttpHeaders = {}): void {
  sendJson(res, error.status, error.toBody(), headers);
}
