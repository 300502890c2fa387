/**
 * The OpenAI dialect and the OpenAI-compatible format together: an OpenAI request through the canonical model and
 * back must say the same thing, and an OpenAI stream parsed and rendered again must accumulate to the same answer,
 * by our reading and by the `openai` SDK's own accumulator. A spec of the pair, so it imports the dialect; the
 * library code itself never does.
 */
import { ChatCompletionStream } from 'openai/lib/ChatCompletionStream';
// eslint-disable-next-line @nx/enforce-module-boundaries -- spec only: tests this provider against the dialect that mirrors it
import { OpenAiChatStreamRenderer, openAiChatToCanonical, parseOpenAiChatRequest } from '@apitopmix/dialects/openai-chat';
import { toOpenAiCompatible } from './openai-compatible.format';
import { OpenAiCompatibleStreamParser } from './openai-compatible.stream-parser';
import { deepSeekReasoningStream, interleavedToolStream, parallelToolStream, textStream, twoChoiceStream } from './openai-compatible.stream.fixtures';

const pngData = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** An OpenAI request in the form the format writes: every field survives the round trip exactly. */
const fullRequest = {
  model: 'gpt-4.1',
  messages: [
    { role: 'system', content: 'Be brief.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in these images? And the weather?' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${pngData}` } },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
      ],
    },
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } },
      ],
    },
    { role: 'tool', tool_call_id: 'call_1', content: 'Sunny' },
    { role: 'tool', tool_call_id: 'call_2', content: 'Rain' },
    { role: 'assistant', content: 'A cat and a dog. Sunny in Paris, rain in Lyon.' },
    { role: 'user', content: 'Thanks' },
  ],
  max_tokens: 500,
  temperature: 0.7,
  top_p: 0.9,
  stop: ['END', '###'],
  seed: 42,
  presence_penalty: 0.5,
  frequency_penalty: -0.5,
  n: 2,
  tools: [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Weather for a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    },
    { type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } },
  ],
  tool_choice: { type: 'function', function: { name: 'get_weather' } },
  parallel_tool_calls: true,
  response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object', properties: { a: { type: 'string' } } }, strict: true } },
  user: 'user-123',
  stream: true,
  stream_options: { include_usage: true },
  logprobs: true,
  top_logprobs: 2,
  logit_bias: { '50256': -100 },
  service_tier: 'flex',
  store: false,
  metadata: { team: 'a' },
  prediction: { type: 'content', content: 'x' },
  modalities: ['text'],
  web_search_options: {},
  safety_identifier: 'sid-1',
  prompt_cache_key: 'k-1',
  verbosity: 'low',
};

const roundTrip = (body: Record<string, unknown>, upstreamModel: string) =>
  toOpenAiCompatible(openAiChatToCanonical(parseOpenAiChatRequest(body)), { upstreamModel });

describe('OpenAI request → canonical → OpenAI-compatible upstream', () => {
  it('gives back the same request, field for field', () => {
    expect(roundTrip(fullRequest, 'gpt-4.1')).toEqual(fullRequest);
  });

  it.each([
    ['tool_choice auto', { tool_choice: 'auto' }],
    ['tool_choice none', { tool_choice: 'none' }],
    ['tool_choice required', { tool_choice: 'required' }],
    ['json_object', { response_format: { type: 'json_object' } }],
    ['text format', { response_format: { type: 'text' } }],
    ['no streaming', { stream: undefined, stream_options: undefined }],
  ])('gives back the same request with %s', (_label, change) => {
    const body = JSON.parse(JSON.stringify({ ...fullRequest, ...change })) as Record<string, unknown>;
    expect(roundTrip(body, 'gpt-4.1')).toEqual(body);
  });

  it('gives back a reasoning-model request with its reasoning_effort and max_completion_tokens', () => {
    const body = {
      ...fullRequest,
      model: 'o3',
      max_tokens: undefined,
      max_completion_tokens: 2_000,
      reasoning_effort: 'high',
      temperature: undefined,
      top_p: undefined,
    };
    const expected = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
    for (const effort of ['low', 'medium', 'high'])
      expect(roundTrip({ ...body, reasoning_effort: effort }, 'o3')).toEqual({ ...expected, reasoning_effort: effort });
  });

  it('normalises what has one canonical form: several system messages, a stop string, array tool content, detail, strict, name', () => {
    const body = {
      model: 'gpt-4.1',
      messages: [
        { role: 'system', content: 'One.' },
        { role: 'developer', content: [{ type: 'text', text: 'Two.' }] },
        { role: 'user', name: 'alice', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'low' } }] },
        { role: 'assistant', content: '', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c', content: [{ type: 'text', text: 'ok' }] },
      ],
      stop: 'END',
      max_completion_tokens: 10,
      tools: [{ type: 'function', function: { name: 'f', strict: true } }],
    };
    expect(roundTrip(body, 'gpt-4.1')).toEqual({
      model: 'gpt-4.1',
      messages: [
        { role: 'system', content: 'One.\n\nTwo.' },
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c', content: 'ok' },
      ],
      stop: ['END'],
      max_tokens: 10,
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }],
    });
  });
});

type Chunk = {
  id: string;
  choices: { index: number; delta: Record<string, unknown> & { tool_calls?: ToolDelta[] }; finish_reason: string | null }[];
  usage?: Record<string, unknown> | null;
};
type ToolDelta = { index: number; id?: string; type?: string; function?: { name?: string; arguments?: string } };

/** Parses upstream data, renders it for an OpenAI caller, and returns the rendered chunks (without [DONE]). */
function reRender(data: string[]): { chunks: Chunk[]; done: boolean } {
  const parser = new OpenAiCompatibleStreamParser();
  const renderer = new OpenAiChatStreamRenderer({ model: 'gpt-4.1', includeUsage: true });
  const frames = [...data.flatMap((d) => parser.push({ data: d })), ...parser.end()].flatMap((event) => renderer.render(event));
  frames.push(...renderer.end());
  const done = frames.at(-1) === 'data: [DONE]\n\n';
  return { chunks: frames.filter((f) => f !== 'data: [DONE]\n\n').map((f) => JSON.parse(f.slice(6)) as Chunk), done };
}

/** Our reading of a stream: per choice, the concatenated content and reasoning, the tool calls, the finish. */
function accumulate(chunks: Chunk[]) {
  const choices: Record<
    number,
    { role?: unknown; content: string; reasoning: string; tools: { id?: string; type?: string; name: string; arguments: string }[]; finish: string | null }
  > = {};
  let usage: Record<string, unknown> | undefined;
  for (const chunk of chunks) {
    if (chunk.usage) {
      const u = chunk.usage as { prompt_tokens: number; completion_tokens: number; total_tokens: number; prompt_tokens_details?: { cached_tokens?: number } };
      const details = chunk.usage.completion_tokens_details as { reasoning_tokens?: number } | undefined;
      usage = {
        prompt: u.prompt_tokens,
        completion: u.completion_tokens,
        total: u.total_tokens,
        cached: u.prompt_tokens_details?.cached_tokens,
        reasoning: details?.reasoning_tokens,
      };
    }
    for (const c of chunk.choices) {
      const acc = (choices[c.index] ??= { content: '', reasoning: '', tools: [], finish: null });
      if (c.delta.role) acc.role = c.delta.role;
      if (typeof c.delta.content === 'string') acc.content += c.delta.content;
      if (typeof c.delta.reasoning_content === 'string') acc.reasoning += c.delta.reasoning_content;
      for (const t of c.delta.tool_calls ?? []) {
        const tool = (acc.tools[t.index] ??= { name: '', arguments: '' });
        if (t.id) tool.id = t.id;
        if (t.type) tool.type = t.type;
        if (t.function?.name) tool.name = t.function.name;
        tool.arguments += t.function?.arguments ?? '';
      }
      if (c.finish_reason) acc.finish = c.finish_reason;
    }
  }
  return { choices, usage };
}

/** The `openai` SDK's own accumulation (what `client.chat.completions.stream()` returns as its final completion). */
async function sdkFinal(chunks: Chunk[]) {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(`${JSON.stringify(chunk)}\n`));
      controller.close();
    },
  });
  const completion = await ChatCompletionStream.fromReadableStream(body).finalChatCompletion();
  return {
    choices: completion.choices.map((c) => ({
      index: c.index,
      finish_reason: c.finish_reason,
      role: c.message.role,
      content: c.message.content,
      tool_calls: c.message.tool_calls?.map((t) => (t.type === 'function' ? { id: t.id, name: t.function.name, arguments: t.function.arguments } : t)),
    })),
    usage: completion.usage && { prompt: completion.usage.prompt_tokens, completion: completion.usage.completion_tokens, total: completion.usage.total_tokens },
  };
}

describe('OpenAI-compatible stream → canonical → OpenAI stream', () => {
  const upstreamChunks = (data: string[]) => data.map((d) => JSON.parse(d) as Chunk);

  it.each([
    ['text', textStream],
    ['two parallel tool calls', parallelToolStream],
    ['interleaved tool calls', interleavedToolStream],
    ['DeepSeek reasoning then content', deepSeekReasoningStream],
    ['n = 2', twoChoiceStream],
  ])('reproduces an equivalent stream: %s', async (_label, data) => {
    const { chunks, done } = reRender(data);

    expect(done).toBe(true);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(accumulate(chunks)).toEqual(accumulate(upstreamChunks(data)));
    expect(await sdkFinal(chunks)).toEqual(await sdkFinal(upstreamChunks(data)));
  });

  it('reproduces the text stream chunk for chunk', () => {
    const contents = (chunks: Chunk[]) => chunks.map((c) => c.choices.map((choice) => [choice.delta.content ?? null, choice.finish_reason]));
    expect(contents(reRender(textStream).chunks)).toEqual(contents(upstreamChunks(textStream)));
  });

  it('has the accumulators agree on something non-trivial', () => {
    // Guards the comparison above against two empty readings.
    const reading = accumulate(reRender(parallelToolStream).chunks);
    expect(reading.choices[0].tools).toEqual([
      { id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA', type: 'function', name: 'get_weather', arguments: '{"location": "Paris"}' },
      { id: 'call_m2PzYv0Y1mC6HzBQxW4tKJ8L', type: 'function', name: 'get_time', arguments: '{"tz": "CET"}' },
    ]);
    expect(accumulate(reRender(deepSeekReasoningStream).chunks).choices[0]).toMatchObject({
      reasoning: 'The user says hi.',
      content: 'Hello!',
      finish: 'stop',
    });
  });
});
