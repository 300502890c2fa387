import type { CanonicalThinking } from '@apitopmix/contracts';
import type { GeminiModelThinking, GeminiThinkingConfig } from './gemini.types';

export interface GeminiThinkingPlan {
  config?: GeminiThinkingConfig;
  /** Tokens to add to the caller's maxOutputTokens (Gemini counts thinking inside maxOutputTokens). */
  extraOutputTokens: number;
}

/**
 * The thinkingConfig a `-thinking` variant turns on when the caller set none: its budget (or dynamic, -1) with
 * thoughts returned, since showing the thinking is what the variant is for.
 */
export function variantThinkingConfig(model: GeminiModelThinking | undefined): GeminiThinkingPlan | undefined {
  if (model?.mode !== 'variant') return undefined;
  const budget = model.budgetTokens;
  return { config: { thinkingBudget: budget ?? -1, includeThoughts: true }, extraOutputTokens: budget !== undefined && budget > 0 ? budget : 0 };
}

/**
 * The canonical thinking request as Gemini's thinkingConfig:
 * - absent: the variant's config, or thinkingLevel alone if the caller gave one (Gemini 3), or nothing (model default);
 * - enabled: thinkingLevel when the caller gave one (the two cannot be combined), else thinkingBudget = budgetTokens,
 *   or -1 (dynamic) when there is none; includeThoughts as asked, true when unsaid (Anthropic's callers always get
 *   their thinking back);
 * - disabled: thinkingBudget 0, except on a model that always thinks (Gemini 2.5 Pro, Gemini 3), which refuses 0:
 *   nothing is sent there and the model thinks without showing it.
 */
export function thinkingPlan(thinking: CanonicalThinking | undefined, level: string | undefined, model: GeminiModelThinking | undefined): GeminiThinkingPlan {
  if (!thinking) {
    const variant = variantThinkingConfig(model);
    if (variant) return variant;
    return { config: level ? { thinkingLevel: level } : undefined, extraOutputTokens: 0 };
  }
  if (!thinking.enabled) return { config: model?.mode === 'always' ? undefined : { thinkingBudget: 0 }, extraOutputTokens: 0 };
  const config: GeminiThinkingConfig = level ? { thinkingLevel: level } : { thinkingBudget: thinking.budgetTokens ?? -1 };
  config.includeThoughts = thinking.includeThoughts ?? true;
  return { config, extraOutputTokens: 0 };
}
