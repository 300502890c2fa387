import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { openAiPassthroughBody, OpenAiStreamTap } from './openai-passthrough';

const body = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('openAiPassthroughBody', () => {
  it('rewrites the model to the upstream id and keeps every other field, known or not, as sent', () => {
    const sent = {
      model: 'gpt-4.1',
      messages: [{ role: 'user', content: 'héllo 👋' }],
      temperature: 0.2,
      logit_bias: { '50256': -100 },
      some_future_field: { nested: [1, null, true] },
    };

    const { json, parsed } = openAiPassthroughBody(body(sent), 'upstream/gpt-4.1-2025', false);

    expect(JSON.parse(json)).toEqual({ ...sent, model: 'upstream/gpt-4.1-2025' });
    expect(parsed).toEqual(JSON.parse(json));
  });

  it('adds a model when the caller sent none', () => {
    const { json } = openAiPassthroughBody(body({ messages: [] }), 'm-up', false);
    expect(JSON.parse(json)).toEqual({ messages: [], model: 'm-up' });
  });

  it('leaves stream_options alone when the call is not streamed', () => {
    const { json } = openAiPassthroughBody(body({ model: 'a', stream_options: { include_usage: false } }), 'b', false);
    expect(JSON.parse(json)).toEqual({ model: 'b', stream_options: { include_usage: false } });
  });

  it('asks for usage on a stream that had no stream_options', () => {
    const { json } = openAiPassthroughBody(body({ model: 'a', stream: true }), 'b', true);
    expect(JSON.parse(json)).toEqual({ model: 'b', stream: true, stream_options: { include_usage: true } });
  });

  it('forces include_usage even when the caller turned it off, keeping the other stream_options', () => {
    const sent = { model: 'a', stream: true, stream_options: { include_usage: false, include_obfuscation: false, vendor_x: 'y' } };

    const { json } = openAiPassthroughBody(body(sent), 'b', true);

    expect(JSON.parse(json).stream_options).toEqual({ include_usage: true, include_obfuscation: false, vendor_x: 'y' });
  });

  it('replaces a stream_options that is null with one that asks for usage', () => {
    const { json } = openAiPassthroughBody(body({ model: 'a', stream_options: null }), 'b', true);
    expect(JSON.parse(json).stream_options).toEqual({ include_usage: true });
  });

  it.each([
    ['not JSON at all', 'model=gpt-4.1'],
    ['truncated JSON', '{"model":"gpt-4.1","messages":['],
    ['an empty body', ''],
  ])('rejects %s with a 400 invalid_request', (_label, text) => {
    const error = thrown(() => openAiPassthroughBody(Buffer.from(text), 'b', false));

    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: ErrorCode.InvalidRequest, status: 400, message: 'The request body is not valid JSON.' });
  });

  it.each([
    ['null', 'null'],
    ['an array', '[{"model":"a"}]'],
    ['a string', '"hello"'],
    ['a number', '42'],
    ['a boolean', 'true'],
  ])('rejects a body that is %s with a 400 invalid_request', (_label, text) => {
    const error = thrown(() => openAiPassthroughBody(Buffer.from(text), 'b', true));

    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: ErrorCode.InvalidRequest, status: 400, message: 'The request body must be a JSON object.' });
  });
});

describe('OpenAiStreamTap', () => {
  // The chunks an OpenAI stream with stream_options.include_usage sends, byte for byte as OpenAI formats them.
  const roleChunk =
    '{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}';
  const contentChunk = (text: string) =>
    `{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":${JSON.stringify(text)}},"finish_reason":null}],"usage":null}`;
  const finishChunk = '{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}';
  const usageChunk = '{"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}}';

  function run(tap: OpenAiStreamTap, chunks: string[]): string[] {
    return chunks.map((c) => tap.process(c)).filter((c): c is string => c !== undefined);
  }

  it('records the usage from the usage chunk', () => {
    const tap = new OpenAiStreamTap(false);
    run(tap, [roleChunk, contentChunk('Hi'), finishChunk]);
    expect(tap.usage).toBeUndefined();

    tap.process(usageChunk);

    expect(tap.usage).toEqual({ inputTokens: 12, outputTokens: 7 });
  });

  it('records usage written with a space after the colon', () => {
    const tap = new OpenAiStreamTap(true);
    tap.process('{"choices": [], "usage": {"prompt_tokens": 3, "completion_tokens": 4}}');
    expect(tap.usage).toEqual({ inputTokens: 3, outputTokens: 4 });
  });

  it('when the caller did not ask for usage: drops the usage-only chunk and strips "usage":null from the others', () => {
    const tap = new OpenAiStreamTap(false);

    const forwarded = run(tap, [roleChunk, contentChunk('Hel'), contentChunk('lo'), finishChunk, usageChunk]);

    // Only `,"usage":null` is cut out: the rest of each chunk is the upstream's bytes, not a re-serialisation.
    expect(forwarded).toEqual([roleChunk, contentChunk('Hel'), contentChunk('lo'), finishChunk].map((d) => d.replace(',"usage":null', '')));
    for (const data of forwarded) expect(data).not.toContain('usage');
    expect(tap.usage).toEqual({ inputTokens: 12, outputTokens: 7 });
    expect(tap.events).toBe(5);
  });

  it('when the caller did not ask: removes usage from a chunk that also carries choices, keeping the choices', () => {
    const tap = new OpenAiStreamTap(false);
    const combined = '{"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2}}';

    const forwarded = tap.process(combined);

    expect(forwarded).toBeDefined();
    expect(JSON.parse(forwarded as string)).toEqual({ id: 'c1', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    expect(tap.usage).toEqual({ inputTokens: 5, outputTokens: 2 });
  });

  it('when the caller asked for usage: forwards every chunk unchanged, usage chunk included', () => {
    const tap = new OpenAiStreamTap(true);
    const chunks = [roleChunk, contentChunk('Hi'), finishChunk, usageChunk];

    expect(chunks.map((c) => tap.process(c))).toEqual(chunks);
    expect(tap.usage).toEqual({ inputTokens: 12, outputTokens: 7 });
  });

  it('counts content chunks, not the role chunk with empty content nor the finish chunk', () => {
    const tap = new OpenAiStreamTap(true);

    run(tap, [roleChunk, contentChunk('a'), contentChunk('"quoted"'), contentChunk(' b'), finishChunk, usageChunk]);

    expect(tap.contentChunks).toBe(3);
    expect(tap.events).toBe(6);
  });

  it('does not take a usage-like string inside content for usage', () => {
    const tap = new OpenAiStreamTap(false);
    const tricky = contentChunk('the "usage":{"prompt_tokens":1} field');

    const forwarded = tap.process(tricky);

    expect(tap.usage).toBeUndefined();
    expect(JSON.parse(forwarded as string).choices[0].delta.content).toBe('the "usage":{"prompt_tokens":1} field');
  });
});
