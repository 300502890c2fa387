import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { anthropicError, anthropicStreamError } from './anthropic.errors';

const body = (type: string, message: string) => JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy' });

// What Anthropic may say about our own account: none of it may reach the caller.
const accountWording = body('authentication_error', 'invalid x-api-key sk-ant-api03-abc***xyz for organization 5f2a…');

describe('anthropicError', () => {
  it.each([401, 402, 403])('%i (our key or our account refused) becomes 503 upstream_unavailable', (status) => {
    const error = anthropicError('anthropic', status, accountWording);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: ErrorCode.UpstreamUnavailable, status: 503, type: 'service_unavailable', param: undefined });
    expect(error.message).toBe("The upstream provider (anthropic) refused the gateway's credentials.");
  });

  it.each([429, 500, 502, 503, 504, 529])('%i (throttled, failing or overloaded) becomes 503 naming the status', (status) => {
    const error = anthropicError('anthropic', status, body('overloaded_error', 'Overloaded'));
    expect(error).toMatchObject({ code: ErrorCode.UpstreamUnavailable, status: 503 });
    expect(error.message).toBe(`The upstream provider (anthropic) is temporarily unavailable (HTTP ${status}).`);
  });

  it.each([401, 402, 403, 429, 500, 529])('never relays Anthropic wording for %i', (status) => {
    const message = anthropicError('anthropic', status, accountWording).message;
    for (const secret of ['sk-ant', 'x-api-key', 'organization']) expect(message).not.toContain(secret);
  });

  it('400 invalid_request_error keeps status and message', () => {
    const error = anthropicError(
      'anthropic',
      400,
      body('invalid_request_error', 'messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`.'),
    );
    expect(error).toMatchObject({
      code: ErrorCode.UpstreamRejected,
      status: 400,
      type: 'invalid_request_error',
      message: 'messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`.',
    });
  });

  it.each([
    'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
    'You have reached your specified API usage limits. Your spend limit will reset on 2026-12-01.',
  ])('a 400 about our account (%s) is the gateway problem, not relayed', (message) => {
    const error = anthropicError('anthropic', 400, body('invalid_request_error', message));
    expect(error).toMatchObject({ code: ErrorCode.UpstreamUnavailable, status: 503 });
    expect(error.message).toBe("The upstream provider (anthropic) refused the gateway's account.");
  });

  it.each([413, 409, 422])('other caller-fault status %i is kept', (status) => {
    expect(anthropicError('anthropic', status, body('request_too_large', 'Request exceeds the maximum size'))).toMatchObject({
      code: ErrorCode.UpstreamRejected,
      status,
      message: 'Request exceeds the maximum size',
    });
  });

  it('404 (the upstream does not know our model id or path) becomes 400, keeping the message', () => {
    expect(anthropicError('anthropic', 404, body('not_found_error', 'model: claude-nope'))).toMatchObject({
      code: ErrorCode.UpstreamRejected,
      status: 400,
      message: 'model: claude-nope',
    });
  });

  it.each([
    ['HTML from a proxy', '<html><body>413 Request Entity Too Large</body></html>'],
    ['empty', ''],
    ['JSON without an error', '{"detail":"bad"}'],
    ['a message that is not a string', '{"type":"error","error":{"message":{"x":1}}}'],
    ['null', 'null'],
  ])('a 4xx whose body is %s gets a generic message with the status', (_label, text) => {
    expect(anthropicError('anthropic', 413, text)).toMatchObject({
      code: ErrorCode.UpstreamRejected,
      status: 413,
      message: 'The upstream provider rejected the request (HTTP 413).',
    });
  });
});

describe('anthropicStreamError', () => {
  it.each([
    ['overloaded_error', ErrorCode.UpstreamUnavailable, 503],
    ['api_error', ErrorCode.UpstreamUnavailable, 503],
    ['rate_limit_error', ErrorCode.UpstreamUnavailable, 503],
    ['invalid_request_error', ErrorCode.UpstreamRejected, 400],
    ['something_new', ErrorCode.UpstreamUnavailable, 503],
  ])('an in-stream %s becomes %s', (type, code, status) => {
    expect(anthropicStreamError('anthropic', body(type, 'Overloaded'))).toMatchObject({ code, status });
  });

  it('an unreadable error event is an upstream failure', () => {
    expect(anthropicStreamError('anthropic', 'not json')).toMatchObject({ code: ErrorCode.UpstreamUnavailable });
  });
});
