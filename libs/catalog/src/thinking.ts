import { ChatModelEntry } from './catalog.types';

/**
 * Anthropic's extended thinking (`thinking: { type: 'enabled', budget_tokens }`) requires
 * budget_tokens ≥ 1,024 and budget_tokens < max_tokens, because max_tokens counts the thinking and the answer
 * together. Thinking tokens are billed as output tokens.
 */
export const ANTHROPIC_MIN_THINKING_BUDGET = 1_024;

/**
 * The upstream `max_tokens` and thinking budget for a `-thinking` variant, or undefined for any other model.
 * The caller's max_tokens bounds the visible answer; the variant's budget is added on top, capped at the model's
 * maxOutputTokens. Every variant's budget is at least 1,024 and below its model's maxOutputTokens (the specs check
 * it), so the result always meets both of Anthropic's rules, whatever max_tokens the caller sent (the spec's own
 * examples send 500).
 */
export function thinkingRequestFor(model: ChatModelEntry, requestedMaxTokens: number): { maxTokens: number; budgetTokens: number } | undefined {
  if (model.thinking?.mode !== 'variant') return undefined;
  if (!Number.isSafeInteger(requestedMaxTokens) || requestedMaxTokens < 1)
    throw new RangeError(`max_tokens must be a positive whole number, got ${requestedMaxTokens}`);
  const budgetTokens = model.thinking.budgetTokens;
  return { maxTokens: Math.min(requestedMaxTokens + budgetTokens, model.maxOutputTokens), budgetTokens };
}
