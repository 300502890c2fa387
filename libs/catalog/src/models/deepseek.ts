import { ChatModelEntry, TokenPrice } from '../catalog.types';
import { derivedPrice, SPEC_DISCOUNT_PERCENT } from '../pricing';
import { CATALOG_V2, reasoning, text } from './shared';

function deepSeekList(input: string, output: string): TokenPrice {
  return derivedPrice(
    input,
    output,
    SPEC_DISCOUNT_PERCENT.deepseek,
    `DeepSeek API list $${input}/$${output} (DeepSeek-V3.2, cache-miss input); the spec states no discount for DeepSeek's own API`,
  );
}

/**
 * DeepSeek's own API, under its own ids. The spec's DeepSeek models ("Via NVIDIA NIM") stay on NIM, in
 * nvidia-nim.ts; these give the gateway a direct route as well. Both ids serve DeepSeek-V3.2.
 */
export const deepSeekModels: ChatModelEntry[] = [
  {
    id: 'deepseek-chat',
    ownedBy: 'deepseek',
    provider: 'deepseek',
    upstreamModel: 'deepseek-chat',
    kind: 'chat',
    contextWindow: 128_000,
    maxOutputTokens: 8_192,
    capabilities: text,
    price: deepSeekList('0.28', '0.42'),
    created: CATALOG_V2,
  },
  {
    id: 'deepseek-reasoner',
    ownedBy: 'deepseek',
    provider: 'deepseek',
    upstreamModel: 'deepseek-reasoner',
    kind: 'chat',
    contextWindow: 128_000,
    maxOutputTokens: 65_536,
    capabilities: reasoning,
    thinking: { mode: 'always' },
    price: deepSeekList('0.28', '0.42'),
    created: CATALOG_V2,
  },
];
