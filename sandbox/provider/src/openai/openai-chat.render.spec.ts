import { planChatCompletion } from './openai-chat.plan';
import { chatCompletionChunks, renderChatCompletion, type CompletionMeta } from './openai-chat.render';
import { parseChatCompletionRequest } from './openai-chat.request';

const meta: CompletionMeta = { id: 'chatcmpl-test', created: 1, model: 'gpt-test', systemFingerprint: 'fp_sandbox' };

function plan(body: object) {
  return planChatCompletion(parseChatCompletionRequest(JSON.stringify({ model: 'gpt-test', ...body })));
}

describe('OpenAI chat rendering', () => {
  const messages = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Tell me about lighthouses' },
  ];

  it('streams exactly the content of the plain response, one content chunk per completion token', () => {
    const p = plan({ messages, n: 2 });
    const chunks = [...chatCompletionChunks(p, meta, { includeUsage: true, includeObfuscation: false })];
    const contentChunks = chunks.filter((c) => c.choices[0]?.delta.content);
    expect(contentChunks).toHaveLength(p.completionTokens);

    const streamed = ['', ''];
    for (const c of contentChunks) streamed[c.choices[0].index] += c.choices[0].delta.content;
    const plain = renderChatCompletion(p, meta);
    expect(streamed).toEqual(plain.choices.map((c) => c.message.content));
    expect(plain.usage.completion_tokens).toBe(p.completionTokens);
  });

  it('orders role chunks, content, finish chunks, then the usage chunk', () => {
    const p = plan({ messages, max_tokens: 2 });
    const chunks = [...chatCompletionChunks(p, meta, { includeUsage: true, includeObfuscation: true })];
    expect(chunks.map((c) => (c.choices.length ? Object.keys(c.choices[0].delta).join('+') || 'finish' : 'usage'))).toEqual([
      'role+content+refusal',
      'content',
      'content',
      'finish',
      'usage',
    ]);
    expect(chunks[3].choices[0].finish_reason).toBe('length');
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(chunks.every((c) => typeof c.obfuscation === 'string')).toBe(true);
  });

  it('omits usage and obfuscation fields when not asked for', () => {
    const chunks = [...chatCompletionChunks(plan({ messages }), meta, { includeUsage: false, includeObfuscation: false })];
    expect(chunks.some((c) => 'usage' in c || 'obfuscation' in c)).toBe(false);
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true);
  });

  it('counts prompt tokens from message text plus per-message overhead', () => {
    // 3 priming + (3 framing + 2: "Be", " brief.") + (3 framing + 5: "Tell", " me", " about", " lighthou", "ses")
    expect(plan({ messages }).promptTokens).toBe(3 + (3 + 2) + (3 + 5));
  });

  it('quotes the last user message even when other roles follow it', () => {
    const p = plan({ messages: [...messages, { role: 'assistant', content: 'Sure.' }] });
    expect(p.choices[0].content).toMatch(/^Sandbox reply to "Tell me about lighthouses": /);
  });
});
