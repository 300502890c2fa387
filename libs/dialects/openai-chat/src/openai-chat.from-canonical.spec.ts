import type { CanonicalChatResponse, CanonicalPart, CanonicalStopReason } from '@apitopmix/contracts';
import { openAiChatFromCanonical } from './openai-chat.from-canonical';

const usage = { inputTokens: 12, outputTokens: 9 };
const response = (content: CanonicalPart[], stopReason: CanonicalStopReason = 'stop'): CanonicalChatResponse => ({
  id: 'msg_upstream_1',
  model: 'claude-sonnet-4-20250514',
  choices: [{ index: 0, content, stopReason }],
  usage,
});
const messageOf = (content: CanonicalPart[]) => openAiChatFromCanonical(response(content), { model: 'claude-sonnet-4' }).choices[0].message;

describe('openAiChatFromCanonical', () => {
  it('renders a text answer as chat.completion under a minted id and the model the caller named', () => {
    const before = Math.floor(Date.now() / 1000);
    const completion = openAiChatFromCanonical(
      response([
        { type: 'text', text: 'Hello! ' },
        { type: 'text', text: 'How can I help?', signature: 'gemini-text-sig' },
      ]),
      { model: 'claude-sonnet-4' },
    );

    expect(completion).toEqual({
      id: expect.stringMatching(/^chatcmpl-[A-Za-z0-9]{29}$/),
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'claude-sonnet-4',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello! How can I help?', refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 },
    });
    expect(completion.created).toBeGreaterThanOrEqual(before);
    expect(completion.id).not.toContain('msg_upstream');
    expect(openAiChatFromCanonical(response([]), { model: 'm' }).id).not.toBe(completion.id);
  });

  it('renders tool calls with null content, and text before them as content', () => {
    const calls: CanonicalPart[] = [
      { type: 'tool_call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'tool_call', id: 'toolu_2', name: 'get_time', arguments: '{}', signature: 'gemini-sig' },
    ];
    const expectedCalls = [
      { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'toolu_2', type: 'function', function: { name: 'get_time', arguments: '{}' }, extra_content: { google: { thought_signature: 'gemini-sig' } } },
    ];

    expect(messageOf(calls)).toEqual({ role: 'assistant', content: null, refusal: null, tool_calls: expectedCalls });
    expect(messageOf([{ type: 'text', text: 'Checking.' }, ...calls])).toEqual({
      role: 'assistant',
      content: 'Checking.',
      refusal: null,
      tool_calls: expectedCalls,
    });
  });

  it('renders signed and redacted thinking in reasoning_content and thinking_blocks', () => {
    expect(
      messageOf([
        { type: 'thinking', text: 'First, ', signature: 'sig-1' },
        { type: 'thinking', text: '', redacted: 'opaque==' },
        { type: 'thinking', text: 'then.', signature: 'sig-2' },
        { type: 'text', text: 'Answer.' },
      ]),
    ).toEqual({
      role: 'assistant',
      content: 'Answer.',
      refusal: null,
      reasoning_content: 'First, then.',
      thinking_blocks: [
        { type: 'thinking', thinking: 'First, ', signature: 'sig-1' },
        { type: 'redacted_thinking', data: 'opaque==' },
        { type: 'thinking', thinking: 'then.', signature: 'sig-2' },
      ],
    });
  });

  it('renders unsigned thinking in reasoning_content only', () => {
    expect(
      messageOf([
        { type: 'thinking', text: 'Hmm.' },
        { type: 'text', text: 'Yes.' },
      ]),
    ).toEqual({
      role: 'assistant',
      content: 'Yes.',
      refusal: null,
      reasoning_content: 'Hmm.',
    });
  });

  it('gives an empty string, not null, when there is neither text nor a tool call; images are dropped', () => {
    expect(messageOf([{ type: 'image', mediaType: 'image/png', data: 'AAAA' }]).content).toBe('');
  });

  it('renders usage details only when known', () => {
    const completion = openAiChatFromCanonical(
      { ...response([]), usage: { inputTokens: 100, outputTokens: 50, cachedInputTokens: 80, reasoningTokens: 30 } },
      { model: 'm' },
    );
    expect(completion.usage).toEqual({
      prompt_tokens: 100,
      completion_tokens: 50,
      total_tokens: 150,
      prompt_tokens_details: { cached_tokens: 80 },
      completion_tokens_details: { reasoning_tokens: 30 },
    });
    expect(openAiChatFromCanonical({ ...response([]), usage: { inputTokens: 1, outputTokens: 2, cachedInputTokens: 0 } }, { model: 'm' }).usage).toEqual({
      prompt_tokens: 1,
      completion_tokens: 2,
      total_tokens: 3,
      prompt_tokens_details: { cached_tokens: 0 },
    });
  });

  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['tool_calls', 'tool_calls'],
    ['stop_sequence', 'stop'],
    ['content_filter', 'content_filter'],
    ['error', 'stop'],
  ] as const)('maps stop reason %s to finish_reason %s', (stopReason, finishReason) => {
    expect(openAiChatFromCanonical(response([{ type: 'text', text: 'x' }], stopReason), { model: 'm' }).choices[0].finish_reason).toBe(finishReason);
  });

  it('renders n > 1 choices in index order', () => {
    const completion = openAiChatFromCanonical(
      {
        ...response([]),
        choices: [
          { index: 1, content: [{ type: 'text', text: 'B' }], stopReason: 'length' },
          { index: 0, content: [{ type: 'text', text: 'A' }], stopReason: 'stop' },
        ],
      },
      { model: 'm' },
    );
    expect(completion.choices.map((c) => [c.index, c.message.content, c.finish_reason])).toEqual([
      [0, 'A', 'stop'],
      [1, 'B', 'length'],
    ]);
  });
});
