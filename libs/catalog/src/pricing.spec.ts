import { costMicros, derivedPrice, specPrice, usdPerMTok } from './pricing';
import { ModelCatalog } from './model-catalog';

describe('pricing', () => {
  it('converts USD per million tokens to integer micro-USD exactly', () => {
    expect(usdPerMTok('1.80')).toBe(1_800_000);
    expect(usdPerMTok('0.02')).toBe(20_000);
    expect(usdPerMTok('15')).toBe(15_000_000);
    expect(usdPerMTok('0.000001')).toBe(1);
    expect(() => usdPerMTok('1.2345678')).toThrow();
    expect(() => usdPerMTok('-1')).toThrow();
  });

  it('applies a whole-percent discount to a list price', () => {
    // Claude Sonnet 4.5 lists at $3/$15; 60% off gives $1.20/$6.00.
    expect(derivedPrice('3.00', '15.00', 60, 'test')).toMatchObject({ inputMicrosPerMTok: 1_200_000, outputMicrosPerMTok: 6_000_000, source: 'derived' });
  });

  it('charges hand-computed amounts, rounded up to the micro-dollar once per call', () => {
    const kimi = specPrice('0.12', '0.60');
    // 1,000,000 in + 1,000,000 out = $0.12 + $0.60 = 720,000 micro-USD exactly.
    expect(costMicros(kimi, 1_000_000, 1_000_000)).toBe(720_000n);
    // 12 in, 9 out: 12*0.12 + 9*0.60 = 6.84 micro-USD -> 7.
    expect(costMicros(kimi, 12, 9)).toBe(7n);
    // gpt-4.1 at $2/$8: 1,234 in, 567 out = 2,468 + 4,536 = 7,004 micro-USD exactly.
    expect(costMicros(specPrice('2.00', '8.00'), 1_234, 567)).toBe(7_004n);
    expect(costMicros(specPrice('0', '0'), 5_000, 5_000)).toBe(0n);
  });
});

describe('ModelCatalog', () => {
  const catalog = new ModelCatalog();

  it('resolves the spec quick-test model and slash ids', () => {
    expect(catalog.find('gpt-4.1')?.provider).toBe('openai');
    expect(catalog.find('meta/llama-3.3-70b-instruct')?.price.inputMicrosPerMTok).toBe(0);
    expect(catalog.find('no-such-model')).toBeUndefined();
  });

  it('lists models in OpenAI shape', () => {
    const list = catalog.toOpenAiList();
    expect(list.object).toBe('list');
    expect(list.data[0]).toEqual({ id: 'gpt-4.1', object: 'model', created: expect.any(Number), owned_by: 'openai' });
  });

  it('refuses duplicate ids', () => {
    const [first] = catalog.models;
    expect(() => new ModelCatalog([first, { ...first }])).toThrow(/duplicate/);
  });
});
