/** The spec's plan tiers and their default limits (Enterprise limits are set per account). */
export type TierId = 'FREE' | 'STANDARD' | 'PRO' | 'ENTERPRISE';

export interface TierLimits {
  requestsPerMinute: number;
  tokensPerMinute: number;
}

export const tierLimits: Record<TierId, TierLimits> = {
  FREE: { requestsPerMinute: 10, tokensPerMinute: 40_000 },
  STANDARD: { requestsPerMinute: 60, tokensPerMinute: 200_000 },
  PRO: { requestsPerMinute: 300, tokensPerMinute: 1_000_000 },
  // Until an operator sets an enterprise account's own limits, it gets Pro's.
  ENTERPRISE: { requestsPerMinute: 300, tokensPerMinute: 1_000_000 },
};

/** An account's effective limits: its own where set (enterprise), else its tier's. */
export function limitsFor(tier: TierId, custom: { rpmLimit?: number | null; tpmLimit?: number | null } = {}): TierLimits {
  const base = tierLimits[tier];
  return { requestsPerMinute: custom.rpmLimit ?? base.requestsPerMinute, tokensPerMinute: custom.tpmLimit ?? base.tokensPerMinute };
}
