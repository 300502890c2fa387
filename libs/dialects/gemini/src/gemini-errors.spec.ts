import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { geminiStatusName, toGeminiError } from './gemini-errors';

describe('toGeminiError', () => {
  it.each([
    [ErrorCode.InvalidRequest, 400, 'INVALID_ARGUMENT'],
    [ErrorCode.MissingApiKey, 401, 'UNAUTHENTICATED'],
    [ErrorCode.InvalidApiKey, 401, 'UNAUTHENTICATED'],
    [ErrorCode.InsufficientQuota, 402, 'RESOURCE_EXHAUSTED'],
    [ErrorCode.PermissionDenied, 403, 'PERMISSION_DENIED'],
    [ErrorCode.ModelNotFound, 404, 'NOT_FOUND'],
    [ErrorCode.RouteNotFound, 404, 'NOT_FOUND'],
    [ErrorCode.RateLimited, 429, 'RESOURCE_EXHAUSTED'],
    [ErrorCode.Internal, 500, 'INTERNAL'],
    [ErrorCode.UpstreamUnavailable, 503, 'UNAVAILABLE'],
    [ErrorCode.ServiceUnavailable, 503, 'UNAVAILABLE'],
  ])('%s is HTTP %i %s', (code, status, statusName) => {
    const rendered = toGeminiError(new GatewayError(code, 'Something happened.'));
    expect(rendered.status).toBe(status);
    expect(rendered.body.error).toMatchObject({ code: status, message: 'Something happened.', status: statusName });
    expect(rendered.body.error.details?.[0]).toEqual({
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: code.toUpperCase(),
      domain: 'apitopmix.com',
    });
  });

  it('keeps an upstream rejection’s own status', () => {
    expect(toGeminiError(new GatewayError(ErrorCode.UpstreamRejected, 'Unable to process input image.', { status: 400 })).body.error).toMatchObject({
      code: 400,
      status: 'INVALID_ARGUMENT',
    });
    expect(toGeminiError(new GatewayError(ErrorCode.UpstreamRejected, 'File not found.', { status: 404 })).body.error).toMatchObject({
      code: 404,
      status: 'NOT_FOUND',
    });
  });

  it('adds RetryInfo to a rate-limit error', () => {
    const { body } = toGeminiError(new GatewayError(ErrorCode.RateLimited, 'Slow down.', { retryAfterSeconds: 20 }));
    expect(body.error.details).toContainEqual({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '20s' });
  });

  it.each([
    [504, 'DEADLINE_EXCEEDED'],
    [502, 'UNAVAILABLE'],
    [413, 'INVALID_ARGUMENT'],
    [599, 'INTERNAL'],
  ])('names HTTP %i %s', (status, name) => {
    expect(geminiStatusName(status)).toBe(name);
  });
});
