import { Capabilities, ModelEntry } from './catalog.types';
import { derivedPrice, free, specPrice } from './pricing';

const created = 1_764_000_000; // 2025-11-24: when this catalog was first published
const text: Capabilities = { streaming: true, tools: true, vision: false, thinking: false };

/**
 * Models reachable through an OpenAI-compatible upstream. Prices marked `spec` are the spec's table; the others
 * are derived as their `basis` says.
 */
export const models: ModelEntry[] = [
  {
    id: 'gpt-4.1',
    ownedBy: 'openai',
    provider: 'openai',
    upstreamModel: 'gpt-4.1',
    kind: 'chat',
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    capabilities: { ...text, vision: true },
    price: derivedPrice('2.00', '8.00', 0, 'OpenAI list price; the spec states no discount for OpenAI models'),
    created,
  },
  {
    id: 'meta/llama-3.3-70b-instruct',
    ownedBy: 'meta',
    provider: 'nvidia-nim',
    upstreamModel: 'meta/llama-3.3-70b-instruct',
    kind: 'chat',
    contextWindow: 128_000,
    maxOutputTokens: 4_096,
    capabilities: text,
    price: free,
    created,
  },
  {
    id: 'meta/llama-3.1-405b-instruct',
    ownedBy: 'meta',
    provider: 'nvidia-nim',
    upstreamModel: 'meta/llama-3.1-405b-instruct',
    kind: 'chat',
    contextWindow: 128_000,
    maxOutputTokens: 4_096,
    capabilities: text,
    price: free,
    created,
  },
  {
    id: 'qwen/qwen3.5-397b-a17b',
    ownedBy: 'qwen',
    provider: 'nvidia-nim',
    upstreamModel: 'qwen/qwen3.5-397b-a17b',
    kind: 'chat',
    contextWindow: 262_144,
    maxOutputTokens: 16_384,
    capabilities: text,
    price: specPrice('0.02', '0.06'),
    created,
  },
  {
    id: 'mistralai/mistral-large-3-675b-instruct-2512',
    ownedBy: 'mistralai',
    provider: 'nvidia-nim',
    upstreamModel: 'mistralai/mistral-large-3-675b-instruct-2512',
    kind: 'chat',
    contextWindow: 262_144,
    maxOutputTokens: 16_384,
    capabilities: text,
    price: specPrice('0.10', '0.30'),
    created,
  },
  {
    id: 'moonshotai/kimi-k2.5',
    ownedBy: 'moonshotai',
    provider: 'nvidia-nim',
    upstreamModel: 'moonshotai/kimi-k2.5',
    kind: 'chat',
    contextWindow: 262_144,
    maxOutputTokens: 16_384,
    capabilities: text,
    price: specPrice('0.12', '0.60'),
    created,
  },
  {
    id: 'z-ai/glm5',
    ownedBy: 'z-ai',
    provider: 'nvidia-nim',
    upstreamModel: 'z-ai/glm5',
    kind: 'chat',
    contextWindow: 202_752,
    maxOutputTokens: 16_384,
    capabilities: text,
    price: specPrice('0.20', '0.64'),
    created,
  },
];
