import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { openAiCompatibleError } from './openai-compatible.errors';

const openAiError = (message: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ error: { message, type: 'invalid_request_error', code: 'some_code', ...extra } });

// What an upstream may say about our own account: none of it may reach the caller.
const accountWording = openAiError('Incorrect API key provided: sk-proj-abc***xyz. Organization org-123 has exceeded its quota.', { param: 'api_key' });

describe('openAiCompatibleError', () => {
  it.each([401, 402, 403])('%i (our credentials or our account refused) becomes 503 upstream_unavailable', (status) => {
    const error = openAiCompatibleError('openai', status, accountWording);

    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: ErrorCode.UpstreamUnavailable, status: 503, type: 'service_unavailable', param: undefined });
    expect(error.message).toBe("The upstream provider (openai) refused the gateway's credentials.");
  });

  it.each([429, 500, 502, 503, 504, 529])('%i (throttled or failing) becomes 503 upstream_unavailable naming the status', (status) => {
    const error = openAiCompatibleError('nvidia-nim', status, accountWording);

    expect(error).toMatchObject({ code: ErrorCode.UpstreamUnavailable, status: 503, param: undefined });
    expect(error.message).toBe(`The upstream provider (nvidia-nim) is temporarily unavailable (HTTP ${status}).`);
  });

  it.each([401, 402, 403, 429, 500, 503])('never relays the upstream wording for %i', (status) => {
    const message = openAiCompatibleError('openai', status, accountWording).message;

    for (const secret of ['sk-proj', 'org-123', 'Incorrect API key', 'quota']) expect(message).not.toContain(secret);
  });

  it('400 with an OpenAI error body becomes UpstreamRejected keeping status, message and param', () => {
    const error = openAiCompatibleError('openai', 400, openAiError("Invalid value for 'temperature': must be at most 2.", { param: 'temperature' }));

    expect(error).toMatchObject({
      code: ErrorCode.UpstreamRejected,
      status: 400,
      type: 'invalid_request_error',
      message: "Invalid value for 'temperature': must be at most 2.",
      param: 'temperature',
    });
  });

  it.each([409, 413, 422])('other caller-fault status %i is kept as is', (status) => {
    const error = openAiCompatibleError('openai', status, openAiError('too long', { param: 'messages' }));
    expect(error).toMatchObject({ code: ErrorCode.UpstreamRejected, status, message: 'too long', param: 'messages' });
  });

  it('404 (the upstream does not know the model or path) becomes 400, keeping the message', () => {
    const error = openAiCompatibleError('openai', 404, openAiError('The model `gpt-9` does not exist or you do not have access to it.', { param: 'model' }));

    expect(error).toMatchObject({ code: ErrorCode.UpstreamRejected, status: 400, param: 'model' });
    expect(error.message).toBe('The model `gpt-9` does not exist or you do not have access to it.');
  });

  it.each([
    ['not JSON', '<html>Bad Request</html>'],
    ['empty', ''],
    ['JSON without an error object', '{"detail":"bad"}'],
    ['an error whose message is not a string', '{"error":{"message":{"nested":true},"param":42}}'],
    ['a JSON null', 'null'],
  ])('a 4xx whose body is %s gets a generic message with the status and no param', (_label, body) => {
    const error = openAiCompatibleError('openai', 422, body);

    expect(error).toMatchObject({ code: ErrorCode.UpstreamRejected, status: 422, param: undefined });
    expect(error.message).toBe('The upstream provider rejected the request (HTTP 422).');
  });

  it('a 404 with an unreadable body is still a 400', () => {
    expect(openAiCompatibleError('openai', 404, 'Not Found')).toMatchObject({ code: ErrorCode.UpstreamRejected, status: 400 });
  });

  it('a null param stays undefined', () => {
    expect(openAiCompatibleError('openai', 400, openAiError('bad', { param: null })).param).toBeUndefined();
  });
});
