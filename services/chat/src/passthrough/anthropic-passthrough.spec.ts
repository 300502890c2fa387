import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { anthropicPromptText, AnthropicStreamTap } from './anthropic-passthrough';

/** A short stream as Anthropic sends it: event names and data, unparsed. */
const stream: [string, string][] = [
  ['message_start', '{"type":"message_start","message":{"id":"msg_1","usage":{"input_tokens":25,"cache_read_input_tokens":5,"output_tokens":1}}}'],
  ['content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}'],
  ['ping', '{"type": "ping"}'],
  ['content_block_delta', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}'],
  ['content_block_delta', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}'],
  ['content_block_stop', '{"type":"content_block_stop","index":0}'],
  ['message_delta', '{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":15}}'],
  ['message_stop', '{"type":"message_stop"}'],
];

describe('AnthropicStreamTap', () => {
  it('forwards every event unchanged and learns the usage from message_start and message_delta', () => {
    const tap = new AnthropicStreamTap('anthropic');
    const forwarded = stream.map(([event, data]) => tap.process(data, event));

    expect(forwarded).toEqual(stream.map(([, data]) => data));
    tap.end();
    expect(tap.usage).toEqual({ inputTokens: 30, outputTokens: 15 });
    expect(tap.usageFinal).toBe(true);
    expect(tap.contentChunks).toBe(2);
    expect(tap.events).toBe(stream.length);
  });

  it('keeps input counts that message_delta leaves out, and takes the ones it adds', () => {
    const tap = new AnthropicStreamTap('anthropic');
    tap.process(stream[0][1], 'message_start');
    tap.process('{"type":"message_delta","usage":{"output_tokens":9,"cache_creation_input_tokens":10}}', 'message_delta');
    expect(tap.usage).toEqual({ inputTokens: 40, outputTokens: 9 });
  });

  it('has no usage before message_start, and no final usage before message_delta', () => {
    const tap = new AnthropicStreamTap('anthropic');
    expect(tap.usage).toBeUndefined();
    tap.process(stream[0][1], 'message_start');
    expect(tap.usage).toEqual({ inputTokens: 30, outputTokens: 1 });
    expect(tap.usageFinal).toBe(false);
  });

  it('turns an error event into the gateway error of its type', () => {
    const tap = new AnthropicStreamTap('anthropic');
    tap.process(stream[0][1], 'message_start');
    const error = (() => {
      try {
        tap.process('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}', 'error');
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe(ErrorCode.UpstreamUnavailable);
    expect((error as GatewayError).message).not.toMatch(/Overloaded/);
  });

  it('fails a stream that ended before message_stop', () => {
    const tap = new AnthropicStreamTap('anthropic');
    for (const [event, data] of stream.slice(0, 4)) tap.process(data, event);
    expect(() => tap.end()).toThrow(expect.objectContaining({ code: ErrorCode.UpstreamUnavailable, message: expect.stringMatching(/ended the stream early/) }));
  });
});

describe('anthropicPromptText', () => {
  it('collects the system prompt, text blocks, tool inputs and tool results', () => {
    const text = anthropicPromptText({
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [
        { role: 'user', content: 'What is the weather?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 'Sunny' }] }] },
      ],
    });
    expect(text.split('\n')).toEqual(['Be brief.', 'What is the weather?', '{"city":"Paris"}', 'Sunny']);
  });
});
