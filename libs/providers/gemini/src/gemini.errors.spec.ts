import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { geminiUpstreamError } from './gemini.errors';

const googleError = (code: number, status: string, message: string, details: unknown[] = []) => JSON.stringify({ error: { code, message, status, details } });

const apiKeyInvalid = googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
  {
    '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
    reason: 'API_KEY_INVALID',
    domain: 'googleapis.com',
    metadata: { service: 'generativelanguage.googleapis.com' },
  },
]);

describe('geminiUpstreamError', () => {
  it.each([
    [401, googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.')],
    [403, googleError(403, 'PERMISSION_DENIED', 'Your API key (AIzaSyXXXX) was reported as leaked. Project 98765.')],
    [402, googleError(402, 'RESOURCE_EXHAUSTED', 'Your prepaid credit is exhausted for billing account 0123-4567.')],
    [400, apiKeyInvalid],
    [400, googleError(400, 'FAILED_PRECONDITION', 'User location is not supported for the API use.')],
  ])('HTTP %i about our key or account becomes 503 without Google’s wording', (status, body) => {
    const error = geminiUpstreamError('google', status, body);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({
      code: ErrorCode.UpstreamUnavailable,
      status: 503,
      message: "The upstream provider (google) refused the gateway's credentials.",
    });
  });

  it.each([429, 500, 503, 504])('HTTP %i (throttled or failing) becomes 503 naming the status', (status) => {
    const error = geminiUpstreamError('google', status, googleError(status, 'RESOURCE_EXHAUSTED', 'Quota exceeded for consumer project_number:12345'));
    expect(error).toMatchObject({
      code: ErrorCode.UpstreamUnavailable,
      status: 503,
      message: `The upstream provider (google) is temporarily unavailable (HTTP ${status}).`,
    });
    expect(error.message).not.toContain('12345');
  });

  it('400 INVALID_ARGUMENT is the caller’s: UpstreamRejected keeping status and message', () => {
    const error = geminiUpstreamError('google', 400, googleError(400, 'INVALID_ARGUMENT', 'Unable to submit request because it has an empty text parameter.'));
    expect(error).toMatchObject({ code: ErrorCode.UpstreamRejected, status: 400, message: 'Unable to submit request because it has an empty text parameter.' });
  });

  it('404 NOT_FOUND keeps its status and message', () => {
    const error = geminiUpstreamError('google', 404, googleError(404, 'NOT_FOUND', 'File abc is not found.'));
    expect(error).toMatchObject({ code: ErrorCode.UpstreamRejected, status: 404, message: 'File abc is not found.' });
  });

  it.each([
    ['not JSON', '<html>Bad Request</html>'],
    ['empty', ''],
    ['JSON null', 'null'],
    ['an error whose message is not a string', '{"error":{"message":{"x":1}}}'],
  ])('a 4xx whose body is %s gets a generic message with the status', (_label, body) => {
    expect(geminiUpstreamError('google', 413, body)).toMatchObject({
      code: ErrorCode.UpstreamRejected,
      status: 413,
      message: 'The upstream provider rejected the request (HTTP 413).',
    });
  });
});
