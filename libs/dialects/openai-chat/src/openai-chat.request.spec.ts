import { GatewayError } from '@apitopmix/platform/errors';
import { estimateRequestTokens, parseOpenAiChatRequest } from './openai-chat.request';
import { toOpenAiError } from './openai-errors';

const valid = { model: 'gpt-4.1', messages: [{ role: 'user', content: 'Hello!' }] };

function errorOf(body: unknown): GatewayError {
  try {
    parseOpenAiChatRequest(body);
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected a validation error');
}

describe('parseOpenAiChatRequest', () => {
  it('accepts the spec quick-test body and keeps unknown fields', () => {
    const parsed = parseOpenAiChatRequest({ ...valid, some_future_field: { a: 1 } });
    expect(parsed).toMatchObject({ ...valid, some_future_field: { a: 1 } });
  });

  it.each([
    [{ messages: valid.messages }, 'model', /Missing required parameter: 'model'/],
    [{ model: 'gpt-4.1' }, 'messages', /Missing required parameter: 'messages'/],
    [{ ...valid, messages: [] }, 'messages', /at least 1/],
    [{ ...valid, temperature: 3 }, 'temperature', /'temperature': must be at most 2/],
    [{ ...valid, temperature: -0.1 }, 'temperature', /at least 0/],
    [{ ...valid, top_p: 1.5 }, 'top_p', /at most 1/],
    [{ ...valid, max_tokens: 0 }, 'max_tokens', /at least 1/],
    [{ ...valid, max_tokens: 1.5 }, 'max_tokens', /expected int/],
    [{ ...valid, stream: 'yes' }, 'stream', /expected boolean/],
    [{ ...valid, messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role', /one of 'system'/],
    [{ ...valid, stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop', /.+/],
    [{ ...valid, presence_penalty: 2.5 }, 'presence_penalty', /at most 2/],
  ])('rejects %j naming %s', (body, param, message) => {
    const error = errorOf(body);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message).toMatch(message);
    expect(toOpenAiError(error)).toEqual({ error: { message: error.message, type: 'invalid_request_error', param, code: 'invalid_request' } });
  });

  it('rejects non-object bodies', () => {
    expect(errorOf([1, 2]).message).toMatch(/JSON object/);
    expect(errorOf(null).message).toMatch(/JSON object/);
  });
});

describe('estimateRequestTokens', () => {
  it('adds the prompt estimate to max_tokens, or to the default completion budget', () => {
    const request = parseOpenAiChatRequest({ ...valid, messages: [{ role: 'user', content: 'x'.repeat(400) }] });
    expect(estimateRequestTokens(request, 32_768)).toEqual({ inputTokens: 100, outputTokens: 4_096 });
    expect(estimateRequestTokens({ ...request, max_tokens: 50 }, 32_768)).toEqual({ inputTokens: 100, outputTokens: 50 });
    expect(estimateRequestTokens({ ...request, max_tokens: 50, n: 3 }, 32_768)).toEqual({ inputTokens: 100, outputTokens: 150 });
    expect(estimateRequestTokens(request, 1_000)).toEqual({ inputTokens: 100, outputTokens: 1_000 });
  });
});
