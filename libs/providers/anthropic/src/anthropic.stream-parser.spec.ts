import type { CanonicalStreamEvent } from '@apitopmix/contracts';
import { ErrorCode } from '@apitopmix/platform/errors';
import { readServerSentEvents } from '@apitopmix/providers/core';
import { AnthropicStreamParser } from './anthropic.stream-parser';

/** An Anthropic SSE body, written by hand after the streaming examples in Anthropic's documentation. */
function sse(events: [string, Record<string, unknown>][]): string {
  return events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join('');
}

async function parse(body: string): Promise<CanonicalStreamEvent[]> {
  const parser = new AnthropicStreamParser();
  const out: CanonicalStreamEvent[] = [];
  async function* chunks() {
    // Split at odd places, as the network does.
    for (let i = 0; i < body.length; i += 37) yield Buffer.from(body.slice(i, i + 37));
  }
  for await (const event of readServerSentEvents(chunks())) out.push(...parser.push(event));
  out.push(...parser.end());
  return out;
}

const messageStart = (usage: Record<string, unknown> = { input_tokens: 25, output_tokens: 1 }): [string, Record<string, unknown>] => [
  'message_start',
  {
    type: 'message_start',
    message: {
      id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY',
      type: 'message',
      role: 'assistant',
      content: [],
      model: 'claude-sonnet-4-6',
      stop_reason: null,
      stop_sequence: null,
      usage,
    },
  },
];

describe('AnthropicStreamParser', () => {
  it('parses a text stream', async () => {
    const body = sse([
      messageStart(),
      ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
      ['ping', { type: 'ping' }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '!' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 15 } }],
      ['message_stop', { type: 'message_stop' }],
    ]);

    expect(await parse(body)).toEqual([
      { type: 'start', id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY', model: 'claude-sonnet-4-6' },
      { type: 'usage', usage: { inputTokens: 25, outputTokens: 1 } },
      { type: 'block_start', choice: 0, index: 0, block: { type: 'text' } },
      { type: 'text_delta', choice: 0, index: 0, text: 'Hello' },
      { type: 'text_delta', choice: 0, index: 0, text: '!' },
      { type: 'block_stop', choice: 0, index: 0 },
      { type: 'finish', choice: 0, stopReason: 'stop' },
      { type: 'usage', usage: { inputTokens: 25, outputTokens: 15 } },
    ]);
  });

  it('parses thinking with its signature, a tool call with input_json deltas, and cache usage', async () => {
    const body = sse([
      messageStart({ input_tokens: 472, cache_creation_input_tokens: 0, cache_read_input_tokens: 2048, output_tokens: 2 }),
      ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'I need the weather.' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3h' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      ['content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'redacted_thinking', data: 'EmwKAhgB' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 1 }],
      [
        'content_block_start',
        { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather', input: {} } },
      ],
      ['content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"location": "San Fra' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: 'ncisco, CA"}' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 2 }],
      ['message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 89 } }],
      ['message_stop', { type: 'message_stop' }],
    ]);

    expect(await parse(body)).toEqual([
      { type: 'start', id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY', model: 'claude-sonnet-4-6' },
      { type: 'usage', usage: { inputTokens: 2520, outputTokens: 2, cachedInputTokens: 2048 } },
      { type: 'block_start', choice: 0, index: 0, block: { type: 'thinking' } },
      { type: 'thinking_delta', choice: 0, index: 0, text: 'I need the weather.' },
      { type: 'signature_delta', choice: 0, index: 0, signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3h' },
      { type: 'block_stop', choice: 0, index: 0 },
      { type: 'block_start', choice: 0, index: 2, block: { type: 'tool_call', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather' } },
      { type: 'tool_arguments_delta', choice: 0, index: 2, json: '' },
      { type: 'tool_arguments_delta', choice: 0, index: 2, json: '{"location": "San Fra' },
      { type: 'tool_arguments_delta', choice: 0, index: 2, json: 'ncisco, CA"}' },
      { type: 'block_stop', choice: 0, index: 2 },
      { type: 'finish', choice: 0, stopReason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 2520, outputTokens: 89, cachedInputTokens: 2048 } },
    ]);
  });

  it('takes the stop sequence and the totals message_delta repeats', async () => {
    const body = sse([
      messageStart({ input_tokens: 0, output_tokens: 0 }),
      [
        'message_delta',
        { type: 'message_delta', delta: { stop_reason: 'stop_sequence', stop_sequence: 'END' }, usage: { input_tokens: 30, output_tokens: 4 } },
      ],
      ['message_stop', { type: 'message_stop' }],
    ]);
    expect((await parse(body)).slice(2)).toEqual([
      { type: 'finish', choice: 0, stopReason: 'stop_sequence', stopSequence: 'END' },
      { type: 'usage', usage: { inputTokens: 30, outputTokens: 4 } },
    ]);
  });

  it('turns an error event into a canonical error without Anthropic wording, and ignores what follows', async () => {
    const body = sse([
      messageStart(),
      ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Par' } }],
      ['error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'tial' } }],
    ]);
    const events = await parse(body);
    expect(events.slice(4)).toEqual([
      { type: 'error', code: ErrorCode.UpstreamUnavailable, message: 'The upstream provider (anthropic) is temporarily unavailable (HTTP 529).' },
    ]);
  });

  it('owes an error when the body ends before message_delta', async () => {
    const body = sse([messageStart(), ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }]]);
    expect((await parse(body)).at(-1)).toEqual({
      type: 'error',
      code: ErrorCode.UpstreamUnavailable,
      message: 'The upstream provider (anthropic) ended the stream before the message was complete.',
    });
    expect(await parse('')).toEqual([expect.objectContaining({ type: 'error' })]);
  });

  it('owes nothing when message_delta came but message_stop did not', async () => {
    const body = sse([messageStart(), ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 1 } }]]);
    expect((await parse(body)).map((e) => e.type)).toEqual(['start', 'usage', 'finish', 'usage']);
  });

  it('reports unreadable data as an upstream failure', () => {
    const parser = new AnthropicStreamParser('anthropic-eu');
    expect(parser.push({ event: 'content_block_delta', data: '{not json' })).toEqual([
      { type: 'error', code: ErrorCode.UpstreamUnavailable, message: 'The upstream provider (anthropic-eu) sent an unreadable stream.' },
    ]);
    expect(parser.end()).toEqual([]);
  });

  it('ignores ping, citations and unknown events, and reads text already present at block start', () => {
    const parser = new AnthropicStreamParser();
    expect(parser.push({ event: 'ping', data: '{"type": "ping"}' })).toEqual([]);
    expect(parser.push({ event: 'something_new', data: '{"type":"something_new"}' })).toEqual([]);
    expect(parser.push({ data: JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: 'Hi' } }) })).toEqual([
      { type: 'block_start', choice: 0, index: 0, block: { type: 'text' } },
      { type: 'text_delta', choice: 0, index: 0, text: 'Hi' },
    ]);
    expect(parser.push({ data: JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'citations_delta', citation: {} } }) })).toEqual([]);
  });
});
