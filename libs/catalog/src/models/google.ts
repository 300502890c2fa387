import { ChatModelEntry, EmbeddingModelEntry, ThinkingSupport, TokenPrice } from '../catalog.types';
import { derivedPrice, SPEC_DISCOUNT_PERCENT, specPrice } from '../pricing';
import { CATALOG_V2, CATALOG_V3, multimodalReasoning } from './shared';

interface Gemini {
  id: string;
  /** Where Google has shut the public id down, its recommended replacement (see below). */
  upstreamModel?: string;
  aliases?: string[];
  thinking: ThinkingSupport;
  price: TokenPrice;
}

function gemini({ id, upstreamModel, aliases, thinking, price }: Gemini): ChatModelEntry {
  return {
    id,
    ...(aliases ? { aliases } : {}),
    ownedBy: 'google',
    provider: 'google',
    upstreamModel: upstreamModel ?? id,
    kind: 'chat',
    contextWindow: 1_048_576,
    maxOutputTokens: 65_536,
    capabilities: multimodalReasoning,
    thinking,
    price,
    created: CATALOG_V2,
  };
}

/**
 * The spec's Gemini table, all at the spec's prices (gemini-3.1-pro-preview and gemini-3-flash-preview also appear
 * in its main pricing table, at the same prices). Gemini 2.5 Flash can turn thinking off (thinkingBudget 0); the
 * others always think, at an adjustable level.
 *
 * Public ids are the spec's contract; upstream ids follow Google's deprecations page. Two preview ids the spec
 * names have been shut down by Google, and are served by Google's recommended replacement:
 * - gemini-3-pro-preview (shut down 2026-03-09) → gemini-3.1-pro-preview. Still billed at the spec's
 *   gemini-3-pro-preview row, which is above the spec's own gemini-3.1-pro-preview row.
 * - gemini-3.1-flash-lite-preview (shut down 2026-05) → gemini-3.1-flash-lite, the same model made GA.
 */
export const googleModels: ChatModelEntry[] = [
  gemini({ id: 'gemini-2.5-flash', thinking: { mode: 'optional' }, price: specPrice('0.30', '1.80') }),
  gemini({ id: 'gemini-2.5-pro', thinking: { mode: 'always' }, price: specPrice('1.25', '5.00') }),
  gemini({ id: 'gemini-3-flash-preview', thinking: { mode: 'always' }, price: specPrice('0.30', '1.80') }),
  gemini({ id: 'gemini-3-pro-preview', upstreamModel: 'gemini-3.1-pro-preview', thinking: { mode: 'always' }, price: specPrice('1.25', '7.50') }),
  gemini({ id: 'gemini-3.1-pro-preview', thinking: { mode: 'always' }, price: specPrice('1.20', '7.20') }),
  gemini({
    id: 'gemini-3.1-flash-lite-preview',
    upstreamModel: 'gemini-3.1-flash-lite',
    aliases: ['gemini-3.1-flash-lite'],
    thinking: { mode: 'always' },
    price: specPrice('0.15', '0.90'),
  }),
];

/**
 * Google's embedding model, served through `/v1/embeddings` like OpenAI's (the spec names no Gemini embedding
 * model; this one is priced by the derived-price rule). 3072 dimensions by default, shortened with `dimensions`
 * (Gemini's `outputDimensionality`); text only, 2,048 tokens per input.
 */
export const googleEmbeddingModels: EmbeddingModelEntry[] = [
  {
    id: 'gemini-embedding-001',
    ownedBy: 'google',
    provider: 'google',
    upstreamModel: 'gemini-embedding-001',
    kind: 'embedding',
    maxInputTokens: 2_048,
    dimensions: 3072,
    shortenableDimensions: true,
    price: derivedPrice(
      '0.15',
      '0',
      SPEC_DISCOUNT_PERCENT.google,
      "Google list $0.15 per 1M input tokens (embeddings bill no output), at the spec's Gemini rate (60% of list)",
    ),
    created: CATALOG_V3,
  },
];
