import type { CanonicalStreamEvent } from '@apitopmix/contracts';
import { OpenAiCompatibleStreamParser } from './openai-compatible.stream-parser';
import { deepSeekReasoningStream, interleavedToolStream, parallelToolStream, textStream, twoChoiceStream } from './openai-compatible.stream.fixtures';

function parse(data: string[]): CanonicalStreamEvent[] {
  const parser = new OpenAiCompatibleStreamParser();
  return [...data.flatMap((d) => parser.push({ data: d })), ...parser.end()];
}

const start = (id: string, model: string): CanonicalStreamEvent => ({ type: 'start', id, model });
const openAiStart = start('chatcmpl-BtXq4d2Jr8oWcG1nQfzP0aLm7sYkE', 'gpt-4.1-2025-04-14');
const zeroDetails = { cachedInputTokens: 0, reasoningTokens: 0 };

describe('OpenAiCompatibleStreamParser', () => {
  it('parses a text stream: start, one text block, finish, usage', () => {
    expect(parse(textStream)).toEqual([
      openAiStart,
      { type: 'block_start', choice: 0, index: 0, block: { type: 'text' } },
      { type: 'text_delta', choice: 0, index: 0, text: 'Hello' },
      { type: 'text_delta', choice: 0, index: 0, text: '!' },
      { type: 'text_delta', choice: 0, index: 0, text: ' How can I help?' },
      { type: 'block_stop', choice: 0, index: 0 },
      { type: 'finish', choice: 0, stopReason: 'stop' },
      { type: 'usage', usage: { inputTokens: 9, outputTokens: 10, ...zeroDetails } },
    ]);
  });

  it('parses two parallel tool calls with fragmented arguments', () => {
    expect(parse(parallelToolStream)).toEqual([
      openAiStart,
      { type: 'block_start', choice: 0, index: 0, block: { type: 'tool_call', id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA', name: 'get_weather' } },
      { type: 'tool_arguments_delta', choice: 0, index: 0, json: '{"lo' },
      { type: 'tool_arguments_delta', choice: 0, index: 0, json: 'cation": "P' },
      { type: 'tool_arguments_delta', choice: 0, index: 0, json: 'aris"}' },
      { type: 'block_stop', choice: 0, index: 0 },
      { type: 'block_start', choice: 0, index: 1, block: { type: 'tool_call', id: 'call_m2PzYv0Y1mC6HzBQxW4tKJ8L', name: 'get_time' } },
      { type: 'tool_arguments_delta', choice: 0, index: 1, json: '{"tz"' },
      { type: 'tool_arguments_delta', choice: 0, index: 1, json: ': "CET"}' },
      { type: 'block_stop', choice: 0, index: 1 },
      { type: 'finish', choice: 0, stopReason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 80, outputTokens: 48, ...zeroDetails } },
    ]);
  });

  it("sends a fragment for an earlier tool call (an upstream that interleaves them) on that call's block, after its block_stop", () => {
    expect(parse(interleavedToolStream)).toEqual([
      openAiStart,
      { type: 'block_start', choice: 0, index: 0, block: { type: 'tool_call', id: 'call_a', name: 'get_weather' } },
      { type: 'tool_arguments_delta', choice: 0, index: 0, json: '{"city":' },
      { type: 'block_stop', choice: 0, index: 0 },
      { type: 'block_start', choice: 0, index: 1, block: { type: 'tool_call', id: 'call_b', name: 'get_time' } },
      { type: 'tool_arguments_delta', choice: 0, index: 1, json: '{"tz":' },
      { type: 'tool_arguments_delta', choice: 0, index: 0, json: '"Paris"}' },
      { type: 'tool_arguments_delta', choice: 0, index: 1, json: '"CET"}' },
      { type: 'block_stop', choice: 0, index: 1 },
      { type: 'finish', choice: 0, stopReason: 'tool_calls' },
    ]);
  });

  it('parses DeepSeek reasoning_content then content: a thinking block before the text block, and usage from the finish chunk at the end', () => {
    expect(parse(deepSeekReasoningStream)).toEqual([
      start('5c2f0a4e-7b1d-4f0e-9a43-2d6c1e8b9f70', 'deepseek-reasoner'),
      { type: 'block_start', choice: 0, index: 0, block: { type: 'thinking' } },
      { type: 'thinking_delta', choice: 0, index: 0, text: 'The user' },
      { type: 'thinking_delta', choice: 0, index: 0, text: ' says hi.' },
      { type: 'block_stop', choice: 0, index: 0 },
      { type: 'block_start', choice: 0, index: 1, block: { type: 'text' } },
      { type: 'text_delta', choice: 0, index: 1, text: 'Hello' },
      { type: 'text_delta', choice: 0, index: 1, text: '!' },
      { type: 'block_stop', choice: 0, index: 1 },
      { type: 'finish', choice: 0, stopReason: 'stop' },
      { type: 'usage', usage: { inputTokens: 5, outputTokens: 12, cachedInputTokens: 0, reasoningTokens: 8 } },
    ]);
  });

  it('parses n = 2 with blocks numbered per choice', () => {
    expect(parse(twoChoiceStream)).toEqual([
      openAiStart,
      { type: 'block_start', choice: 0, index: 0, block: { type: 'text' } },
      { type: 'text_delta', choice: 0, index: 0, text: 'Yes' },
      { type: 'block_start', choice: 1, index: 0, block: { type: 'text' } },
      { type: 'text_delta', choice: 1, index: 0, text: 'No' },
      { type: 'text_delta', choice: 0, index: 0, text: '.' },
      { type: 'block_stop', choice: 0, index: 0 },
      { type: 'finish', choice: 0, stopReason: 'stop' },
      { type: 'text_delta', choice: 1, index: 0, text: ' way' },
      { type: 'block_stop', choice: 1, index: 0 },
      { type: 'finish', choice: 1, stopReason: 'length' },
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 6, ...zeroDetails } },
    ]);
  });

  it('closes the open block when another starts: text before a tool call, the tool call before more text', () => {
    const events = parse([
      '{"id":"c","model":"m","choices":[{"index":0,"delta":{"content":"Let me check."}}]}',
      '{"id":"c","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"f","arguments":"{}"},"extra_content":{"google":{"thought_signature":"gsig"}}}]}}]}',
      '{"id":"c","model":"m","choices":[{"index":0,"delta":{"content":"More."}}]}',
      '{"id":"c","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}',
    ]);
    expect(events.slice(1)).toEqual([
      { type: 'block_start', choice: 0, index: 0, block: { type: 'text' } },
      { type: 'text_delta', choice: 0, index: 0, text: 'Let me check.' },
      { type: 'block_stop', choice: 0, index: 0 },
      { type: 'block_start', choice: 0, index: 1, block: { type: 'tool_call', id: 'call_1', name: 'f', signature: 'gsig' } },
      { type: 'tool_arguments_delta', choice: 0, index: 1, json: '{}' },
      { type: 'block_stop', choice: 0, index: 1 },
      { type: 'block_start', choice: 0, index: 2, block: { type: 'text' } },
      { type: 'text_delta', choice: 0, index: 2, text: 'More.' },
      { type: 'block_stop', choice: 0, index: 2 },
      { type: 'finish', choice: 0, stopReason: 'tool_calls' },
    ]);
  });

  it("reads vLLM's reasoning field, its stop_reason as the stop sequence, and a tool call without an id", () => {
    const events = parse([
      '{"id":"c","model":"m","choices":[{"index":0,"delta":{"reasoning":"hm"}}]}',
      '{"id":"c","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"function":{"name":"f","arguments":""}}]}}]}',
      '{"id":"c","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop","stop_reason":"###"}]}',
    ]);
    expect(events[2]).toEqual({ type: 'thinking_delta', choice: 0, index: 0, text: 'hm' });
    expect(events[4]).toEqual({
      type: 'block_start',
      choice: 0,
      index: 1,
      block: { type: 'tool_call', id: expect.stringMatching(/^call_[0-9a-f]{32}$/), name: 'f' },
    });
    expect(events.at(-1)).toEqual({ type: 'finish', choice: 0, stopReason: 'stop_sequence', stopSequence: '###' });
  });

  it('sends usage that rides on every chunk (vLLM continuous stats) once, the last value, at the end', () => {
    const events = parse([
      '{"id":"c","model":"m","choices":[{"index":0,"delta":{"content":"a"}}],"usage":{"prompt_tokens":3,"completion_tokens":1}}',
      '{"id":"c","model":"m","choices":[{"index":0,"delta":{"content":"b"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2}}',
    ]);
    expect(events.filter((e) => e.type === 'usage')).toEqual([{ type: 'usage', usage: { inputTokens: 3, outputTokens: 2 } }]);
    expect(events.at(-1)?.type).toBe('usage');
  });

  it('sends the usage chunk once, even when usage also rode on earlier chunks', () => {
    const events = parse([
      '{"id":"c","model":"m","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1}}',
      '{"id":"c","model":"m","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}',
    ]);
    expect(events.filter((e) => e.type === 'usage')).toHaveLength(1);
  });

  it('finishes a choice the upstream never finished, when the body ends', () => {
    expect(parse(textStream.slice(0, 3)).slice(-2)).toEqual([
      { type: 'block_stop', choice: 0, index: 0 },
      { type: 'finish', choice: 0, stopReason: 'stop' },
    ]);
  });

  it('an error payload mid-stream becomes an error event without the upstream wording, and ends the parse', () => {
    const parser = new OpenAiCompatibleStreamParser();
    const events = [
      ...parser.push({ data: textStream[1] }),
      ...parser.push({ data: '{"error":{"message":"Organization org-123 has exceeded its quota","type":"server_error","code":null}}' }),
      ...parser.push({ data: textStream[2] }),
      ...parser.end(),
    ];
    expect(events.at(-1)).toEqual({ type: 'error', code: 'upstream_unavailable', message: 'The upstream provider failed mid-stream.' });
    expect(events.filter((e) => e.type === 'error')).toHaveLength(1);
    expect(events.some((e) => e.type === 'finish')).toBe(false);
    expect(JSON.stringify(events)).not.toContain('org-123');
  });

  it.each(['not json', '[1,2]', 'null', '"text"'])('unreadable data (%s) becomes an error event', (data) => {
    expect(parse([textStream[0], data])).toEqual([
      openAiStart,
      { type: 'error', code: 'upstream_unavailable', message: 'The upstream provider sent an unreadable stream event.' },
    ]);
  });

  it('a body that ends before any chunk is an error', () => {
    expect(parse([])).toEqual([{ type: 'error', code: 'upstream_unavailable', message: 'The upstream provider ended the stream without sending anything.' }]);
  });

  it('ignores chunks without choices or usage, and content after a choice finished', () => {
    const events = parse([
      '{"id":"c","model":"m","choices":[]}',
      '{"id":"c","model":"m","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":"stop"}]}',
      '{"id":"c","model":"m","choices":[{"index":0,"delta":{"content":"late"}}]}',
    ]);
    expect(events.filter((e) => e.type === 'text_delta')).toEqual([{ type: 'text_delta', choice: 0, index: 0, text: 'a' }]);
  });
});
