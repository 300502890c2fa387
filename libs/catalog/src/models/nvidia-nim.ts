import { Capabilities, ChatModelEntry, ThinkingSupport, TokenPrice } from '../catalog.types';
import { derivedPrice, free, SPEC_DISCOUNT_PERCENT, specPrice } from '../pricing';
import { CATALOG_V1, CATALOG_V2, multimodal, multimodalReasoning, reasoning, text } from './shared';

/** A maker's list price at the spec's NIM rate. */
function nimList(input: string, output: string, listedBy: string): TokenPrice {
  return derivedPrice(
    input,
    output,
    SPEC_DISCOUNT_PERCENT.nvidiaNim,
    `${listedBy} list $${input}/$${output}; the spec's NIM rate ("Official 20% off" = 20% of list, as its kimi-k2.5, glm5 and mistral-large-3 rows show)`,
  );
}

/**
 * For a model whose maker sells no per-token access there is no list price to apply the spec's rate to. It gets the
 * spec's cheapest paid NIM row: charged (only Meta's Llama models are free in the spec), but never above a price the
 * spec itself sets for NIM, whose rows sit far below the makers' list prices.
 */
function nimFloor(why: string): TokenPrice {
  return derivedPrice('0.02', '0.06', 0, `no maker list price (${why}); priced at the spec's lowest paid NIM row, qwen/qwen3.5-397b-a17b at $0.02/$0.06`);
}

const llama4Free = specPrice('0', '0', `the spec's provider list: Meta Llama series "Free via NVIDIA NIM"`);
const distill: Capabilities = { streaming: true, tools: false, vision: false, thinking: true };

interface Nim {
  id: string;
  aliases?: string[];
  contextWindow: number;
  maxOutputTokens: number;
  capabilities: Capabilities;
  thinking?: ThinkingSupport;
  price: TokenPrice;
  created?: number;
}

/** NIM's OpenAI-compatible catalog names models `<maker>/<model>`; the public id is NIM's, the maker its prefix. */
function nim({ id, aliases, created, thinking, ...rest }: Nim): ChatModelEntry {
  return {
    id,
    ...(aliases ? { aliases } : {}),
    ownedBy: id.slice(0, id.indexOf('/')),
    provider: 'nvidia-nim',
    upstreamModel: id,
    kind: 'chat',
    ...rest,
    ...(thinking ? { thinking } : {}),
    created: created ?? CATALOG_V2,
  };
}

/** Models reachable through NVIDIA NIM. Prices marked `spec` are the spec's; the others are derived as their `basis` says. */
export const nvidiaNimModels: ChatModelEntry[] = [
  // DeepSeek: "V3.2, V3.1, R1 Distill series, Via NVIDIA NIM". The undated aliases keep NIM the default route.
  nim({
    id: 'deepseek-ai/deepseek-v3.2',
    aliases: ['deepseek-v3.2'],
    contextWindow: 128_000,
    maxOutputTokens: 8_192,
    capabilities: reasoning,
    thinking: { mode: 'optional' },
    price: nimList('0.28', '0.42', 'DeepSeek API (V3.2, cache-miss input)'),
  }),
  nim({
    id: 'deepseek-ai/deepseek-v3.1',
    aliases: ['deepseek-v3.1'],
    contextWindow: 128_000,
    maxOutputTokens: 8_192,
    capabilities: reasoning,
    thinking: { mode: 'optional' },
    price: nimList('0.56', '1.68', 'DeepSeek API (V3.1 from 2025-09-05, cache-miss input)'),
  }),
  ...['deepseek-r1-distill-llama-8b', 'deepseek-r1-distill-qwen-7b', 'deepseek-r1-distill-qwen-14b', 'deepseek-r1-distill-qwen-32b'].map((name) =>
    nim({
      id: `deepseek-ai/${name}`,
      contextWindow: 131_072,
      maxOutputTokens: 16_384,
      capabilities: distill,
      thinking: { mode: 'always' },
      price: nimFloor('DeepSeek has never sold its R1 distills through its API'),
    }),
  ),

  // Meta: "Llama 4 Maverick/Scout, Llama 3.3 70B, Llama 3.1 405B, Free via NVIDIA NIM".
  nim({ id: 'meta/llama-4-maverick-17b-128e-instruct', contextWindow: 1_048_576, maxOutputTokens: 16_384, capabilities: multimodal, price: llama4Free }),
  nim({ id: 'meta/llama-4-scout-17b-16e-instruct', contextWindow: 10_485_760, maxOutputTokens: 16_384, capabilities: multimodal, price: llama4Free }),
  nim({ id: 'meta/llama-3.3-70b-instruct', contextWindow: 128_000, maxOutputTokens: 4_096, capabilities: text, price: free, created: CATALOG_V1 }),
  nim({ id: 'meta/llama-3.1-405b-instruct', contextWindow: 128_000, maxOutputTokens: 4_096, capabilities: text, price: free, created: CATALOG_V1 }),

  // Mistral: "Large 3 675B, Medium 3, Small 4, Devstral 2".
  nim({
    id: 'mistralai/mistral-large-3-675b-instruct-2512',
    contextWindow: 262_144,
    maxOutputTokens: 16_384,
    capabilities: multimodal,
    price: specPrice('0.10', '0.30'),
    created: CATALOG_V1,
  }),
  nim({
    id: 'mistralai/mistral-medium-3-instruct',
    contextWindow: 131_072,
    maxOutputTokens: 16_384,
    capabilities: multimodal,
    price: nimList('0.40', '2.00', 'Mistral API (Mistral Medium 3)'),
  }),
  nim({
    id: 'mistralai/mistral-small-4-119b-2603',
    contextWindow: 262_144,
    maxOutputTokens: 16_384,
    capabilities: multimodalReasoning,
    thinking: { mode: 'optional' },
    price: nimList('0.15', '0.60', 'Mistral API (Mistral Small 4)'),
  }),
  nim({
    id: 'mistralai/devstral-2-123b-instruct-2512',
    contextWindow: 262_144,
    maxOutputTokens: 16_384,
    capabilities: text,
    price: nimList('0.40', '2.00', 'Mistral API (Devstral 2)'),
  }),

  // Moonshot: "Kimi K2.5, K2 Instruct, K2 Thinking".
  nim({
    id: 'moonshotai/kimi-k2.5',
    contextWindow: 262_144,
    maxOutputTokens: 16_384,
    capabilities: multimodalReasoning,
    thinking: { mode: 'optional' },
    price: specPrice('0.12', '0.60'),
    created: CATALOG_V1,
  }),
  nim({
    id: 'moonshotai/kimi-k2-instruct',
    contextWindow: 131_072,
    maxOutputTokens: 16_384,
    capabilities: text,
    price: nimList('0.60', '2.50', 'Moonshot API (kimi-k2)'),
  }),
  nim({
    id: 'moonshotai/kimi-k2-thinking',
    contextWindow: 262_144,
    maxOutputTokens: 16_384,
    capabilities: reasoning,
    thinking: { mode: 'always' },
    price: nimList('0.60', '2.50', 'Moonshot API (kimi-k2-thinking)'),
  }),

  // Qwen: "Qwen 3.5 397B, Qwen 3 Coder 480B, QwQ 32B".
  nim({
    id: 'qwen/qwen3.5-397b-a17b',
    contextWindow: 262_144,
    maxOutputTokens: 16_384,
    capabilities: multimodalReasoning,
    thinking: { mode: 'optional' },
    price: specPrice('0.02', '0.06'),
    created: CATALOG_V1,
  }),
  nim({
    id: 'qwen/qwen3-coder-480b-a35b-instruct',
    contextWindow: 262_144,
    maxOutputTokens: 16_384,
    capabilities: text,
    price: nimList('1.50', '7.50', 'Alibaba Cloud Model Studio (international, prompts up to 32K tokens; longer prompts list higher and are not tiered here)'),
  }),
  nim({
    id: 'qwen/qwq-32b',
    contextWindow: 131_072,
    maxOutputTokens: 16_384,
    capabilities: reasoning,
    thinking: { mode: 'always' },
    price: nimFloor('no current Alibaba Cloud list price for the open QwQ-32B was found'),
  }),

  // Others: "GLM-5, MiniMax M2.5, Phi-4, GPT-OSS, Nemotron Ultra".
  nim({
    id: 'z-ai/glm5',
    contextWindow: 202_752,
    maxOutputTokens: 16_384,
    capabilities: reasoning,
    thinking: { mode: 'optional' },
    price: specPrice('0.20', '0.64'),
    created: CATALOG_V1,
  }),
  nim({
    id: 'minimaxai/minimax-m2.5',
    contextWindow: 196_608,
    maxOutputTokens: 16_384,
    capabilities: reasoning,
    thinking: { mode: 'always' },
    price: nimList('0.30', '1.20', 'MiniMax API (MiniMax-M2.5)'),
  }),
  nim({
    id: 'microsoft/phi-4-mini-instruct',
    contextWindow: 131_072,
    maxOutputTokens: 4_096,
    capabilities: text,
    price: nimList('0.075', '0.30', 'Azure AI Foundry (Phi-4-mini-instruct)'),
  }),
  nim({
    id: 'microsoft/phi-4-multimodal-instruct',
    contextWindow: 131_072,
    maxOutputTokens: 4_096,
    capabilities: { ...multimodal, tools: false },
    price: nimList('0.08', '0.32', 'Azure AI Foundry (Phi-4-multimodal-instruct)'),
  }),
  ...['gpt-oss-120b', 'gpt-oss-20b'].map((name) =>
    nim({
      id: `openai/${name}`,
      contextWindow: 131_072,
      maxOutputTokens: 16_384,
      capabilities: reasoning,
      thinking: { mode: 'always' },
      price: nimFloor('OpenAI publishes gpt-oss as open weights and does not serve it'),
    }),
  ),
  nim({
    id: 'nvidia/llama-3.1-nemotron-ultra-253b-v1',
    contextWindow: 131_072,
    maxOutputTokens: 16_384,
    capabilities: reasoning,
    thinking: { mode: 'optional' },
    price: nimFloor('NVIDIA offers it only as a NIM; it is pruned from Llama 3.1 405B, which the spec serves free'),
  }),
];
