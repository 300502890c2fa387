import { Capabilities, ChatModelEntry, EmbeddingModelEntry, ThinkingSupport, TokenPrice } from '../catalog.types';
import { derivedPrice, SPEC_DISCOUNT_PERCENT } from '../pricing';
import { CATALOG_V1, CATALOG_V2, multimodal, multimodalReasoning } from './shared';

function openAiList(input: string, output: string): TokenPrice {
  return derivedPrice(input, output, SPEC_DISCOUNT_PERCENT.openai, `OpenAI list $${input}/$${output}; the spec states no discount for OpenAI models`);
}

interface Gpt {
  id: string;
  contextWindow: number;
  maxOutputTokens: number;
  capabilities: Capabilities;
  thinking?: ThinkingSupport;
  price: TokenPrice;
  created?: number;
}

function gpt({ id, created, thinking, ...rest }: Gpt): ChatModelEntry {
  return {
    id,
    ownedBy: 'openai',
    provider: 'openai',
    upstreamModel: id,
    kind: 'chat',
    ...rest,
    ...(thinking ? { thinking } : {}),
    created: created ?? CATALOG_V2,
  };
}

/** gpt-4.1 is the spec's quick-test model; the others are OpenAI's current general models, all at list price. */
export const openAiChatModels: ChatModelEntry[] = [
  gpt({ id: 'gpt-4.1', contextWindow: 1_047_576, maxOutputTokens: 32_768, capabilities: multimodal, price: openAiList('2.00', '8.00'), created: CATALOG_V1 }),
  gpt({ id: 'gpt-4.1-mini', contextWindow: 1_047_576, maxOutputTokens: 32_768, capabilities: multimodal, price: openAiList('0.40', '1.60') }),
  gpt({ id: 'gpt-4.1-nano', contextWindow: 1_047_576, maxOutputTokens: 32_768, capabilities: multimodal, price: openAiList('0.10', '0.40') }),
  gpt({ id: 'gpt-4o', contextWindow: 128_000, maxOutputTokens: 16_384, capabilities: multimodal, price: openAiList('2.50', '10.00') }),
  gpt({ id: 'gpt-4o-mini', contextWindow: 128_000, maxOutputTokens: 16_384, capabilities: multimodal, price: openAiList('0.15', '0.60') }),
  gpt({
    id: 'o4-mini',
    contextWindow: 200_000,
    maxOutputTokens: 100_000,
    capabilities: multimodalReasoning,
    thinking: { mode: 'always' },
    price: openAiList('1.10', '4.40'),
  }),
];

function embedding(id: string, dimensions: number, shortenableDimensions: boolean, listPerMTok: string): EmbeddingModelEntry {
  return {
    id,
    ownedBy: 'openai',
    provider: 'openai',
    upstreamModel: id,
    kind: 'embedding',
    maxInputTokens: 8_191,
    dimensions,
    shortenableDimensions,
    price: derivedPrice(
      listPerMTok,
      '0',
      SPEC_DISCOUNT_PERCENT.openai,
      `OpenAI list $${listPerMTok} per 1M input tokens (embeddings bill no output); the spec states no discount for OpenAI models`,
    ),
    created: CATALOG_V2,
  };
}

/** The spec's embedding models and dimensions. The v3 models accept a shorter `dimensions`; ada-002 does not. */
export const openAiEmbeddingModels: EmbeddingModelEntry[] = [
  embedding('text-embedding-3-large', 3072, true, '0.13'),
  embedding('text-embedding-3-small', 1536, true, '0.02'),
  embedding('text-embedding-ada-002', 1536, false, '0.10'),
];
