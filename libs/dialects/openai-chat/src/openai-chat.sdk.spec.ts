/**
 * What the dialect renders, served over HTTP to the official `openai` SDK: the SDK must parse it, accumulate it and
 * type it as it does OpenAI's own answers.
 */
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI, { APIError } from 'openai';
import type { CanonicalChatResponse, CanonicalStreamEvent } from '@apitopmix/contracts';
import { openAiChatDialect } from './openai-chat.dialect';

let server: Server;
let client: OpenAI;
/** What the next request gets: a JSON body or the frames of a stream. */
let reply: { json: unknown } | { frames: string[] };
let seenBody: Record<string, unknown> | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (part: string) => (body += part));
    req.on('end', () => {
      seenBody = JSON.parse(body) as Record<string, unknown>;
      if ('json' in reply) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply.json));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const frame of reply.frames) res.write(frame);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new OpenAI({ apiKey: 'sk-test', baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function serveStream(events: CanonicalStreamEvent[], includeUsage: boolean): void {
  const renderer = openAiChatDialect.streamRenderer({ model: 'claude-sonnet-4', includeUsage });
  reply = { frames: [...events.flatMap((event) => renderer.render(event)), ...renderer.end()] };
}

const toolStream: CanonicalStreamEvent[] = [
  { type: 'start', id: 'msg_1', model: 'claude-sonnet-4-20250514' },
  { type: 'block_start', choice: 0, index: 0, block: { type: 'thinking' } },
  { type: 'thinking_delta', choice: 0, index: 0, text: 'Two cities.' },
  { type: 'signature_delta', choice: 0, index: 0, signature: 'sig-1' },
  { type: 'block_stop', choice: 0, index: 0 },
  { type: 'block_start', choice: 0, index: 1, block: { type: 'text' } },
  { type: 'text_delta', choice: 0, index: 1, text: 'Checking ' },
  { type: 'text_delta', choice: 0, index: 1, text: 'both.' },
  { type: 'block_stop', choice: 0, index: 1 },
  { type: 'block_start', choice: 0, index: 2, block: { type: 'tool_call', id: 'toolu_a', name: 'get_weather' } },
  { type: 'block_start', choice: 0, index: 3, block: { type: 'tool_call', id: 'toolu_b', name: 'get_weather' } },
  { type: 'tool_arguments_delta', choice: 0, index: 2, json: '{"city":' },
  { type: 'tool_arguments_delta', choice: 0, index: 3, json: '{"city":"Lyon"}' },
  { type: 'tool_arguments_delta', choice: 0, index: 2, json: '"Paris"}' },
  { type: 'block_stop', choice: 0, index: 2 },
  { type: 'block_stop', choice: 0, index: 3 },
  { type: 'finish', choice: 0, stopReason: 'tool_calls' },
  { type: 'usage', usage: { inputTokens: 50, outputTokens: 40, cachedInputTokens: 10 } },
];

describe('the openai SDK reading the dialect', () => {
  it('accumulates a rendered stream with thinking, text and parallel tool calls (chat.completions.stream)', async () => {
    serveStream(toolStream, true);
    const argumentsDone: string[] = [];

    // A strict tool makes the SDK JSON.parse each call's arguments when it takes the call as done: overlapping tool
    // calls in the canonical stream must still reach it one after the other, complete.
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'get_weather',
          strict: true,
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
        },
      },
    ];
    const stream = client.chat.completions.stream({
      model: 'claude-sonnet-4',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools,
      stream_options: { include_usage: true },
    });
    stream.on('tool_calls.function.arguments.done', (event) => argumentsDone.push(`${event.name} ${JSON.stringify(event.parsed_arguments)}`));
    const completion = await stream.finalChatCompletion();

    expect(seenBody).toMatchObject({ model: 'claude-sonnet-4', stream: true });
    expect(completion.model).toBe('claude-sonnet-4');
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.choices).toHaveLength(1);
    expect(completion.choices[0]).toMatchObject({
      index: 0,
      finish_reason: 'tool_calls',
      message: {
        role: 'assistant',
        content: 'Checking both.',
        refusal: null,
        tool_calls: [
          { id: 'toolu_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'toolu_b', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } },
        ],
        // The SDK keeps the last value of fields it does not know: the signed block, whole.
        thinking_blocks: [{ type: 'thinking', thinking: 'Two cities.', signature: 'sig-1' }],
      },
    });
    expect(completion.usage).toEqual({ prompt_tokens: 50, completion_tokens: 40, total_tokens: 90, prompt_tokens_details: { cached_tokens: 10 } });
    expect(argumentsDone.sort()).toEqual(['get_weather {"city":"Lyon"}', 'get_weather {"city":"Paris"}']);
  });

  it('iterates a rendered n=2 stream without usage (chat.completions.create with stream: true)', async () => {
    serveStream(
      [
        { type: 'start', id: 'x', model: 'x' },
        { type: 'text_delta', choice: 0, index: 0, text: 'Yes' },
        { type: 'text_delta', choice: 1, index: 0, text: 'No' },
        { type: 'finish', choice: 0, stopReason: 'stop' },
        { type: 'finish', choice: 1, stopReason: 'length' },
        { type: 'usage', usage: { inputTokens: 1, outputTokens: 2 } },
      ],
      false,
    );
    const texts = ['', ''];
    const finishes: (string | null)[] = [null, null];
    let chunks = 0;

    for await (const chunk of await client.chat.completions.create({
      model: 'claude-sonnet-4',
      messages: [{ role: 'user', content: 'x' }],
      n: 2,
      stream: true,
    })) {
      chunks += 1;
      expect(chunk.usage).toBeUndefined();
      for (const choice of chunk.choices) {
        texts[choice.index] += choice.delta.content ?? '';
        finishes[choice.index] = choice.finish_reason ?? finishes[choice.index];
      }
    }

    expect(chunks).toBe(6);
    expect(texts).toEqual(['Yes', 'No']);
    expect(finishes).toEqual(['stop', 'length']);
  });

  it('raises an APIError carrying the message when the stream ends in an error frame', async () => {
    serveStream(
      [
        { type: 'start', id: 'x', model: 'x' },
        { type: 'text_delta', choice: 0, index: 0, text: 'Hal' },
        { type: 'error', code: 'upstream_unavailable', message: 'The upstream provider failed mid-stream.' },
      ],
      true,
    );
    const seen: string[] = [];

    let error: unknown;
    try {
      for await (const chunk of await client.chat.completions.create({ model: 'claude-sonnet-4', messages: [{ role: 'user', content: 'x' }], stream: true })) {
        seen.push(chunk.choices[0]?.delta.content ?? '');
      }
    } catch (caught) {
      error = caught;
    }

    expect(seen.join('')).toBe('Hal');
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toContain('The upstream provider failed mid-stream.');
    expect((error as APIError).code).toBe('upstream_unavailable');
  });

  it('reads a rendered chat.completion (chat.completions.create)', async () => {
    const response: CanonicalChatResponse = {
      id: 'msg_1',
      model: 'claude-sonnet-4-20250514',
      choices: [
        {
          index: 0,
          stopReason: 'tool_calls',
          content: [
            { type: 'thinking', text: 'Hmm.', signature: 'sig' },
            { type: 'tool_call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
          ],
        },
      ],
      usage: { inputTokens: 3, outputTokens: 4, reasoningTokens: 1 },
    };
    reply = { json: openAiChatDialect.fromCanonical(response, { model: 'claude-sonnet-4' }) };

    const completion = await client.chat.completions.create({ model: 'claude-sonnet-4', messages: [{ role: 'user', content: 'x' }] });

    expect(completion.choices[0].finish_reason).toBe('tool_calls');
    expect(completion.choices[0].message.content).toBeNull();
    const call = completion.choices[0].message.tool_calls?.[0];
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(1);
  });
});
