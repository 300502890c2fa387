import { MIN_THINKING_BUDGET, planThinking, thinkingConflict } from './anthropic.thinking';

describe('planThinking', () => {
  it('always meets Anthropic rules or declines: 1,024 ≤ budget < max_tokens ≤ limit', () => {
    for (const maxTokens of [1, 100, 500, 1023, 1024, 1025, 2000, 2048, 4096, 32_000, 64_000]) {
      for (const requestedBudget of [undefined, -1, 0, 500, 1024, 3000, 16_000, 100_000]) {
        for (const modelMaxOutputTokens of [undefined, 1024, 1025, 4096, 8192, 64_000]) {
          const plan = planThinking({ maxTokens: Math.min(maxTokens, modelMaxOutputTokens ?? maxTokens), requestedBudget, modelMaxOutputTokens });
          if (!plan) {
            expect(modelMaxOutputTokens).toBeLessThanOrEqual(MIN_THINKING_BUDGET);
            continue;
          }
          expect(plan.budgetTokens).toBeGreaterThanOrEqual(MIN_THINKING_BUDGET);
          expect(plan.budgetTokens).toBeLessThan(plan.maxTokens);
          if (modelMaxOutputTokens !== undefined) expect(plan.maxTokens).toBeLessThanOrEqual(modelMaxOutputTokens);
        }
      }
    }
  });

  it('keeps the room the caller asked for when the limit allows', () => {
    expect(planThinking({ maxTokens: 500, requestedBudget: 1024 })).toEqual({ maxTokens: 1524, budgetTokens: 1024 });
    expect(planThinking({ maxTokens: 500, requestedBudget: 0 })).toEqual({ maxTokens: 1524, budgetTokens: 1024 });
  });
});

describe('thinkingConflict', () => {
  const toolTurn = (first: string) => [
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: [{ type: first }, { type: 'tool_use' }] },
    { role: 'user', content: [{ type: 'tool_result' }] },
  ];

  it.each([
    [{ max_tokens: 1, tool_choice: { type: 'any' } }, 'forced_tool_use'],
    [{ max_tokens: 1, tool_choice: { type: 'tool', name: 'f' } }, 'forced_tool_use'],
    [{ max_tokens: 1, tool_choice: { type: 'auto' } }, undefined],
    [{ max_tokens: 1, messages: toolTurn('text') }, 'tool_turn_without_thinking'],
    [{ max_tokens: 1, messages: toolTurn('thinking') }, undefined],
    [{ max_tokens: 1, messages: toolTurn('redacted_thinking') }, undefined],
    [{ max_tokens: 1, messages: [{ role: 'user', content: 'Hi' }] }, undefined],
    [{ max_tokens: 1 }, undefined],
  ])('%j → %s', (body, expected) => {
    expect(thinkingConflict(body)).toBe(expected);
  });
});
