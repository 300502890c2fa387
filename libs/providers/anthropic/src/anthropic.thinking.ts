/** Anthropic's smallest thinking budget. */
export const MIN_THINKING_BUDGET = 1_024;

/** max_tokens when the caller sets none: the model's output limit, but no more than this. */
export const DEFAULT_MAX_TOKENS = 4_096;

export interface ThinkingPlanInput {
  /** max_tokens as the caller asked (or the default): the room for the visible answer. */
  maxTokens: number;
  /** The budget asked for (caller, or the `-thinking` variant); absent or not positive means the default rule. */
  requestedBudget?: number;
  /** The model's output limit, when known. */
  modelMaxOutputTokens?: number;
}

/**
 * The thinking budget and the max_tokens that go with it, or undefined when thinking cannot fit. Anthropic needs
 * 1,024 ≤ budget_tokens < max_tokens, and max_tokens counts thinking and answer together. Rules:
 * 1. budget = the requested budget, else max(1,024, ⌊max_tokens / 2⌋); never below 1,024;
 * 2. if max_tokens ≤ budget, max_tokens becomes budget + max_tokens (the answer keeps the room the caller asked
 *    for), capped at the model's output limit;
 * 3. if the cap leaves max_tokens ≤ budget, budget becomes max_tokens − 1; if that is below 1,024, no thinking.
 */
export function planThinking(input: ThinkingPlanInput): { maxTokens: number; budgetTokens: number } | undefined {
  const limit = input.modelMaxOutputTokens ?? Number.POSITIVE_INFINITY;
  const requested = input.requestedBudget !== undefined && input.requestedBudget > 0 ? Math.floor(input.requestedBudget) : undefined;
  let budgetTokens = Math.max(MIN_THINKING_BUDGET, requested ?? Math.floor(input.maxTokens / 2));
  let maxTokens = input.maxTokens;
  if (maxTokens <= budgetTokens) maxTokens = Math.min(budgetTokens + maxTokens, limit);
  if (maxTokens <= budgetTokens) budgetTokens = maxTokens - 1;
  if (budgetTokens < MIN_THINKING_BUDGET) return undefined;
  return { maxTokens, budgetTokens };
}

interface BodyForThinking {
  max_tokens: number;
  messages?: unknown;
  tool_choice?: unknown;
  temperature?: unknown;
  top_k?: unknown;
  top_p?: unknown;
  thinking?: unknown;
}

/**
 * Why Anthropic would refuse thinking on this request, if it would: forced tool use (`tool_choice` any or tool),
 * or a tool-use turn in progress whose assistant message does not start with a thinking block (a turn keeps the
 * thinking setting it started with; history from another vendor has no signed thinking to send back).
 */
export function thinkingConflict(body: BodyForThinking): 'forced_tool_use' | 'tool_turn_without_thinking' | undefined {
  const choice = (body.tool_choice as { type?: unknown } | undefined)?.type;
  if (choice === 'any' || choice === 'tool') return 'forced_tool_use';
  const messages = Array.isArray(body.messages) ? (body.messages as { role?: unknown; content?: unknown }[]) : [];
  const last = messages[messages.length - 1];
  const previous = messages[messages.length - 2];
  const hasToolResult = Array.isArray(last?.content) && (last.content as { type?: unknown }[]).some((block) => block?.type === 'tool_result');
  if (last?.role !== 'user' || !hasToolResult || previous?.role !== 'assistant') return undefined;
  const first = Array.isArray(previous.content) ? (previous.content as { type?: unknown }[])[0]?.type : undefined;
  return first === 'thinking' || first === 'redacted_thinking' ? undefined : 'tool_turn_without_thinking';
}

/**
 * Turns thinking on in an Anthropic request body, in place, by `planThinking`'s rule, unless `thinkingConflict`
 * objects or the budget cannot fit. With thinking on, Anthropic accepts neither temperature nor top_k, and top_p
 * only from 0.95: temperature and top_k are removed, a lower top_p is raised to 0.95. Returns whether it is on.
 */
export function enableThinking(body: BodyForThinking, options: { requestedBudget?: number; modelMaxOutputTokens?: number }): boolean {
  if (thinkingConflict(body)) return false;
  const plan = planThinking({ maxTokens: body.max_tokens, ...options });
  if (!plan) return false;
  body.max_tokens = plan.maxTokens;
  body.thinking = { type: 'enabled', budget_tokens: plan.budgetTokens };
  delete body.temperature;
  delete body.top_k;
  if (typeof body.top_p === 'number' && body.top_p < 0.95) body.top_p = 0.95;
  return true;
}
