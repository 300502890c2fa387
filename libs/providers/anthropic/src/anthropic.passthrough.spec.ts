import { GatewayError } from '@apitopmix/platform/errors';
import { anthropicPassthroughBody } from './anthropic.passthrough';

const pass = (body: unknown, options?: Parameters<typeof anthropicPassthroughBody>[2]) =>
  JSON.parse(anthropicPassthroughBody(Buffer.from(JSON.stringify(body)), 'claude-sonnet-4-6-20260101', options)) as Record<string, unknown>;

const body = {
  model: 'claude-sonnet-4-6',
  max_tokens: 500,
  system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
  temperature: 0.3,
  top_k: 10,
  messages: [
    {
      role: 'user',
      content: [
        { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'doc' } },
        { type: 'text', text: 'Summarise.' },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Calling.', signature: 'gemini-text-sig' },
        { type: 'tool_use', id: 'toolu_1', name: 'f', input: { a: 1 }, signature: 'gemini-call-sig' },
      ],
    },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] },
  ],
  tools: [{ type: 'web_search_20250305', name: 'web_search' }],
  service_tier: 'auto',
  some_future_field: { nested: [1, 2] },
};

describe('anthropicPassthroughBody', () => {
  it('rewrites only the model and keeps every other field, known or not, as sent', () => {
    const simple = { model: 'claude-haiku-4-5-20251001', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }], service_tier: 'auto', x: { y: null } };
    expect(pass(simple)).toEqual({ ...simple, model: 'claude-sonnet-4-6-20260101' });
  });

  it('removes the gateway signature extension from text and tool_use blocks, and nothing else', () => {
    const out = pass(body);
    const expected = structuredClone(body) as typeof body & { model: string };
    expected.model = 'claude-sonnet-4-6-20260101';
    delete (expected.messages[1].content[0] as { signature?: string }).signature;
    delete (expected.messages[1].content[1] as { signature?: string }).signature;
    expect(out).toEqual(expected);
  });

  it('adds thinking for a -thinking variant by the budget rule, without the sampling Anthropic refuses with it', () => {
    const simple = {
      model: 'claude-sonnet-4-6-thinking',
      max_tokens: 500,
      temperature: 0.3,
      top_k: 10,
      top_p: 0.5,
      messages: [{ role: 'user', content: 'Hi' }],
    };
    expect(pass(simple, { thinking: {}, maxOutputTokens: 64_000 })).toEqual({
      model: 'claude-sonnet-4-6-20260101',
      max_tokens: 1524,
      top_p: 0.95,
      messages: [{ role: 'user', content: 'Hi' }],
      thinking: { type: 'enabled', budget_tokens: 1024 },
    });
    expect(pass(simple, { thinking: { budgetTokens: 10_000 }, maxOutputTokens: 8_192 })).toMatchObject({
      max_tokens: 8_192,
      thinking: { budget_tokens: 8_191 },
    });
  });

  it('keeps the caller thinking setting for a -thinking variant', () => {
    const disabled = { model: 'm', max_tokens: 500, temperature: 0.3, thinking: { type: 'disabled' }, messages: [{ role: 'user', content: 'Hi' }] };
    expect(pass(disabled, { thinking: { budgetTokens: 4_000 } })).toEqual({ ...disabled, model: 'claude-sonnet-4-6-20260101' });
  });

  it('adds no thinking when the caller forces a tool or continues a tool turn that started without it', () => {
    const forced = {
      model: 'm',
      max_tokens: 500,
      tool_choice: { type: 'any' },
      tools: [{ name: 'f', input_schema: { type: 'object' } }],
      messages: [{ role: 'user', content: 'Hi' }],
    };
    expect(pass(forced, { thinking: {} }).thinking).toBeUndefined();
    expect(pass(body, { thinking: {} }).thinking).toBeUndefined();
    expect(pass(body, { thinking: {} }).temperature).toBe(0.3);
  });

  it('refuses a body that is not a JSON object', () => {
    expect(() => anthropicPassthroughBody(Buffer.from('{nope'), 'm')).toThrow(GatewayError);
    expect(() => anthropicPassthroughBody(Buffer.from('[1]'), 'm')).toThrow('The request body must be a JSON object.');
  });
});
