import { GatewayError } from '@apitopmix/platform/errors';
import { geminiPassthroughBody } from './gemini.passthrough';

const pass = (body: unknown, options?: Parameters<typeof geminiPassthroughBody>[1]) =>
  JSON.parse(geminiPassthroughBody(Buffer.from(JSON.stringify(body)), options));
const hello = { contents: [{ role: 'user', parts: [{ text: 'Hello' }] }] };

describe('geminiPassthroughBody', () => {
  it('passes the caller’s body on as it is, in either spelling, unknown fields included, without a model field', () => {
    const body = { ...hello, generation_config: { max_output_tokens: 10 }, safetySettings: [], someFutureField: { a: 1 } };
    expect(pass({ ...body, model: 'models/gemini-ultra-9' })).toEqual(body);
  });

  it('adds a -thinking variant’s thinkingConfig when the caller set none, its budget on top of maxOutputTokens (capped)', () => {
    const variant = { thinking: { mode: 'variant', budgetTokens: 8192 } as const, maxOutputTokens: 65_536 };
    expect(pass({ ...hello, generationConfig: { temperature: 1, maxOutputTokens: 500 } }, variant).generationConfig).toEqual({
      temperature: 1,
      maxOutputTokens: 8692,
      thinkingConfig: { thinkingBudget: 8192, includeThoughts: true },
    });
    expect(pass({ ...hello, generation_config: { max_output_tokens: 60_000 } }, variant)).toEqual({
      ...hello,
      generation_config: { max_output_tokens: 65_536, thinkingConfig: { thinkingBudget: 8192, includeThoughts: true } },
    });
    expect(pass(hello, { thinking: { mode: 'variant' } }).generationConfig).toEqual({ thinkingConfig: { thinkingBudget: -1, includeThoughts: true } });
  });

  it('leaves a thinkingConfig the caller set, in either spelling, and models that are not variants', () => {
    const own = { ...hello, generationConfig: { thinkingConfig: { thinkingBudget: 0 } } };
    expect(pass(own, { thinking: { mode: 'variant', budgetTokens: 8192 } })).toEqual(own);
    const snake = { ...hello, generation_config: { thinking_config: { thinking_level: 'low' }, maxOutputTokens: 100 } };
    expect(pass(snake, { thinking: { mode: 'variant', budgetTokens: 8192 } })).toEqual(snake);
    expect(pass(hello, { thinking: { mode: 'optional' } })).toEqual(hello);
  });

  it('removes thought parts that carry another vendor’s thinking, and contents left empty', () => {
    const body = {
      contents: [
        hello.contents[0],
        { role: 'model', parts: [{ text: 'Claude thought', thought: true, thoughtSignature: 'foreign:ErUB' }, { text: 'Answer' }] },
        { role: 'model', parts: [{ thought: true, text: '', thought_signature: 'foreign-redacted:Emw' }] },
        { role: 'model', parts: [{ text: 'Gemini thought', thought: true, thoughtSignature: 'R0VN' }, { text: 'More' }] },
      ],
    };
    expect(pass(body).contents).toEqual([
      hello.contents[0],
      { role: 'model', parts: [{ text: 'Answer' }] },
      { role: 'model', parts: [{ text: 'Gemini thought', thought: true, thoughtSignature: 'R0VN' }, { text: 'More' }] },
    ]);
  });

  it.each([
    ['not JSON', '{"contents": ['],
    ['an array', '[1]'],
    ['null', 'null'],
  ])('refuses a body that is %s', (_label, text) => {
    expect(() => geminiPassthroughBody(Buffer.from(text))).toThrow(GatewayError);
  });
});
