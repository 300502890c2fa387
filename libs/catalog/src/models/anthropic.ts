import { ChatModelEntry, TokenPrice } from '../catalog.types';
import { derivedPrice, SPEC_DISCOUNT_PERCENT, specPrice } from '../pricing';
import { CATALOG_V2, multimodalReasoning } from './shared';

/** The budget a `-thinking` variant turns on; the rule that makes it valid for any max_tokens is in ../thinking.ts. */
export const CLAUDE_THINKING_BUDGET_TOKENS = 16_000;

function claudeList(input: string, output: string, model: string): TokenPrice {
  return derivedPrice(
    input,
    output,
    SPEC_DISCOUNT_PERCENT.anthropic,
    `Anthropic list $${input}/$${output} for ${model}; the spec's Claude rate ("Official 60% off" = 60% of list, as its rows show)`,
  );
}

interface Claude {
  id: string;
  aliases?: string[];
  contextWindow: number;
  maxOutputTokens: number;
  price: TokenPrice;
  thinkingPrice: TokenPrice;
}

/**
 * A Claude model and its `-thinking` variant: the same upstream model, with extended thinking turned on by the
 * gateway. The base model still accepts the caller's own `thinking` field on /v1/messages.
 */
function claude({ id, aliases, contextWindow, maxOutputTokens, price, thinkingPrice }: Claude): ChatModelEntry[] {
  const base: ChatModelEntry = {
    id,
    ...(aliases ? { aliases } : {}),
    ownedBy: 'anthropic',
    provider: 'anthropic',
    upstreamModel: id,
    kind: 'chat',
    contextWindow,
    maxOutputTokens,
    capabilities: multimodalReasoning,
    thinking: { mode: 'optional' },
    price,
    created: CATALOG_V2,
  };
  const variant: ChatModelEntry = {
    ...base,
    id: `${id}-thinking`,
    ...(aliases ? { aliases: aliases.map((alias) => `${alias}-thinking`) } : {}),
    thinking: { mode: 'variant', of: id, budgetTokens: CLAUDE_THINKING_BUDGET_TOKENS },
    price: thinkingPrice,
  };
  return [base, variant];
}

const sameAsBase = (base: string) => `not in the spec's table; priced as its base model ${base}, as the spec prices every -thinking variant it lists`;

/**
 * The spec's "Supported Models" for /v1/messages, under Anthropic's own ids. `claude-sonnet-4` is the id the spec's
 * chat examples use; it resolves to Sonnet 4.6 (in Anthropic's API it would mean Sonnet 4, May 2025, which the spec
 * does not offer). The other aliases are the undated forms of the dated ids.
 */
export const anthropicModels: ChatModelEntry[] = [
  ...claude({
    id: 'claude-opus-4-6',
    contextWindow: 1_000_000,
    maxOutputTokens: 128_000,
    price: specPrice('3.00', '15.00'),
    thinkingPrice: specPrice('3.00', '15.00'),
  }),
  ...claude({
    id: 'claude-opus-4-5-20251101',
    aliases: ['claude-opus-4-5'],
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    price: claudeList('5.00', '25.00', 'Claude Opus 4.5'),
    thinkingPrice: claudeList('5.00', '25.00', 'Claude Opus 4.5'),
  }),
  ...claude({
    id: 'claude-sonnet-4-6',
    aliases: ['claude-sonnet-4'],
    contextWindow: 1_000_000,
    maxOutputTokens: 64_000,
    price: specPrice('1.80', '9.00'),
    thinkingPrice: specPrice('1.80', '9.00'),
  }),
  ...claude({
    id: 'claude-sonnet-4-5-20250929',
    aliases: ['claude-sonnet-4-5'],
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    price: claudeList('3.00', '15.00', 'Claude Sonnet 4.5'),
    thinkingPrice: claudeList('3.00', '15.00', 'Claude Sonnet 4.5'),
  }),
  ...claude({
    id: 'claude-haiku-4-5-20251001',
    aliases: ['claude-haiku-4-5'],
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    price: specPrice('0.60', '3.00'),
    thinkingPrice: derivedPrice(
      '1.00',
      '5.00',
      SPEC_DISCOUNT_PERCENT.anthropic,
      `Anthropic list $1.00/$5.00 less the spec's Claude rate; ${sameAsBase('claude-haiku-4-5-20251001')}`,
    ),
  }),
];
