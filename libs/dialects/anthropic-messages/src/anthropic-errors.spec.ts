import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { toAnthropicError } from './anthropic-errors';

describe('toAnthropicError', () => {
  it.each([
    [ErrorCode.InvalidRequest, undefined, 400, 'invalid_request_error'],
    [ErrorCode.MissingApiKey, undefined, 401, 'authentication_error'],
    [ErrorCode.InvalidApiKey, undefined, 401, 'authentication_error'],
    [ErrorCode.InsufficientQuota, undefined, 402, 'billing_error'],
    [ErrorCode.PermissionDenied, undefined, 403, 'permission_error'],
    [ErrorCode.ModelNotFound, undefined, 404, 'not_found_error'],
    [ErrorCode.RouteNotFound, undefined, 404, 'not_found_error'],
    [ErrorCode.InvalidRequest, 413, 413, 'request_too_large'],
    [ErrorCode.InvalidRequest, 415, 415, 'invalid_request_error'],
    [ErrorCode.UpstreamRejected, 422, 422, 'invalid_request_error'],
    [ErrorCode.RateLimited, undefined, 429, 'rate_limit_error'],
    [ErrorCode.Internal, undefined, 500, 'api_error'],
    [ErrorCode.UpstreamUnavailable, undefined, 503, 'overloaded_error'],
    [ErrorCode.UpstreamTimeout, undefined, 503, 'overloaded_error'],
    [ErrorCode.ServiceUnavailable, undefined, 503, 'overloaded_error'],
    [ErrorCode.Internal, 529, 529, 'overloaded_error'],
    [ErrorCode.Internal, 504, 504, 'timeout_error'],
    [ErrorCode.Internal, 502, 502, 'api_error'],
  ])('%s (status %s) keeps status %i and is typed %s', (code, status, expectedStatus, type) => {
    const error = new GatewayError(code, 'Something went wrong.', { status });
    expect(toAnthropicError(error)).toEqual({ status: expectedStatus, body: { type: 'error', error: { type, message: 'Something went wrong.' } } });
  });
});
