import { ModelCatalog } from './model-catalog';
import { ANTHROPIC_MIN_THINKING_BUDGET, thinkingRequestFor } from './thinking';

const catalog = new ModelCatalog();
const chat = (id: string) => catalog.findOfKind(id, 'chat')!;

describe('thinkingRequestFor', () => {
  it("adds the variant's budget on top of the caller's max_tokens", () => {
    // The spec's own example sends max_tokens 500: 500 + 16,000 budget.
    expect(thinkingRequestFor(chat('claude-sonnet-4-6-thinking'), 500)).toEqual({ maxTokens: 16_500, budgetTokens: 16_000 });
    expect(thinkingRequestFor(chat('claude-opus-4-6-thinking'), 1)).toEqual({ maxTokens: 16_001, budgetTokens: 16_000 });
  });

  it("caps max_tokens at the model's output limit", () => {
    expect(thinkingRequestFor(chat('claude-haiku-4-5-20251001-thinking'), 64_000)).toEqual({ maxTokens: 64_000, budgetTokens: 16_000 });
  });

  it('leaves models that are not thinking variants alone', () => {
    expect(thinkingRequestFor(chat('claude-sonnet-4-6'), 500)).toBeUndefined();
    expect(thinkingRequestFor(chat('gpt-4.1'), 500)).toBeUndefined();
  });

  it('refuses a max_tokens that is not a positive whole number', () => {
    expect(() => thinkingRequestFor(chat('claude-sonnet-4-6-thinking'), 0)).toThrow(RangeError);
    expect(() => thinkingRequestFor(chat('claude-sonnet-4-6-thinking'), 2.5)).toThrow(RangeError);
  });

  it("always meets Anthropic's rules: budget >= 1,024 and budget < max_tokens", () => {
    const variants = catalog.listByKind('chat').filter((model) => model.thinking?.mode === 'variant');
    expect(variants.length).toBe(5);
    for (const model of variants) {
      for (const requested of [1, 500, 1_024, 4_096, model.maxOutputTokens - 1, model.maxOutputTokens, 10_000_000]) {
        const { maxTokens, budgetTokens } = thinkingRequestFor(model, requested)!;
        expect(budgetTokens).toBeGreaterThanOrEqual(ANTHROPIC_MIN_THINKING_BUDGET);
        expect(budgetTokens).toBeLessThan(maxTokens);
        expect(maxTokens).toBeLessThanOrEqual(model.maxOutputTokens);
      }
    }
  });
});
