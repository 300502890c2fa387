import { ModelCatalog } from './model-catalog';
import { imageCostMicros, videoCostMicros } from './pricing';

/*
 * The spec (shared/spec/apitopmix-api.txt), copied by hand: every model id it mentions, every price it states.
 * Money here is converted independently of pricing.ts, so a wrong conversion there cannot hide a wrong price.
 */
const micros = (usd: string) => Math.round(Number(usd) * 1_000_000);
const catalog = new ModelCatalog();

/** Every model id in the spec: request examples, the Claude model list, the pricing, embeddings, image, video and Gemini tables. */
const SPEC_MODEL_IDS = [
  // Quick test, chat examples.
  'gpt-4.1',
  'claude-sonnet-4',
  'gemini-3.1-pro-preview',
  // Claude Messages API: "Supported Models".
  'claude-opus-4-6',
  'claude-opus-4-6-thinking',
  'claude-opus-4-5-20251101',
  'claude-opus-4-5-20251101-thinking',
  'claude-sonnet-4-6',
  'claude-sonnet-4-6-thinking',
  'claude-sonnet-4-5-20250929',
  'claude-sonnet-4-5-20250929-thinking',
  'claude-haiku-4-5-20251001',
  'claude-haiku-4-5-20251001-thinking',
  // Pricing.
  'gemini-3-flash-preview',
  'meta/llama-3.3-70b-instruct',
  'meta/llama-3.1-405b-instruct',
  'qwen/qwen3.5-397b-a17b',
  'mistralai/mistral-large-3-675b-instruct-2512',
  'moonshotai/kimi-k2.5',
  'z-ai/glm5',
  // Embeddings, image, video.
  'text-embedding-3-large',
  'text-embedding-3-small',
  'text-embedding-ada-002',
  'nano-banana-2',
  'grok-video-3',
  // Gemini API (native format).
  'gemini-2.5-flash',
  'gemini-2.5-pro',
  'gemini-3-pro-preview',
  'gemini-3.1-flash-lite-preview',
];

/** "Supported Providers & Models": families named without ids, and the catalog id that serves each. */
const SPEC_FAMILIES: [family: string, id: string, provider: string][] = [
  ['Opus 4.6', 'claude-opus-4-6', 'anthropic'],
  ['Opus 4.5', 'claude-opus-4-5-20251101', 'anthropic'],
  ['Sonnet 4.6', 'claude-sonnet-4-6', 'anthropic'],
  ['Sonnet 4.5', 'claude-sonnet-4-5-20250929', 'anthropic'],
  ['Haiku 4.5', 'claude-haiku-4-5-20251001', 'anthropic'],
  ['Gemini 3.1 Pro', 'gemini-3.1-pro-preview', 'google'],
  ['Gemini 3 Flash', 'gemini-3-flash-preview', 'google'],
  ['DeepSeek V3.2', 'deepseek-ai/deepseek-v3.2', 'nvidia-nim'],
  ['DeepSeek V3.1', 'deepseek-ai/deepseek-v3.1', 'nvidia-nim'],
  ['R1 Distill series', 'deepseek-ai/deepseek-r1-distill-llama-8b', 'nvidia-nim'],
  ['R1 Distill series', 'deepseek-ai/deepseek-r1-distill-qwen-7b', 'nvidia-nim'],
  ['R1 Distill series', 'deepseek-ai/deepseek-r1-distill-qwen-14b', 'nvidia-nim'],
  ['R1 Distill series', 'deepseek-ai/deepseek-r1-distill-qwen-32b', 'nvidia-nim'],
  ['Llama 4 Maverick', 'meta/llama-4-maverick-17b-128e-instruct', 'nvidia-nim'],
  ['Llama 4 Scout', 'meta/llama-4-scout-17b-16e-instruct', 'nvidia-nim'],
  ['Llama 3.3 70B', 'meta/llama-3.3-70b-instruct', 'nvidia-nim'],
  ['Llama 3.1 405B', 'meta/llama-3.1-405b-instruct', 'nvidia-nim'],
  ['Mistral Large 3 675B', 'mistralai/mistral-large-3-675b-instruct-2512', 'nvidia-nim'],
  ['Mistral Medium 3', 'mistralai/mistral-medium-3-instruct', 'nvidia-nim'],
  ['Mistral Small 4', 'mistralai/mistral-small-4-119b-2603', 'nvidia-nim'],
  ['Devstral 2', 'mistralai/devstral-2-123b-instruct-2512', 'nvidia-nim'],
  ['Kimi K2.5', 'moonshotai/kimi-k2.5', 'nvidia-nim'],
  ['Kimi K2 Instruct', 'moonshotai/kimi-k2-instruct', 'nvidia-nim'],
  ['Kimi K2 Thinking', 'moonshotai/kimi-k2-thinking', 'nvidia-nim'],
  ['Qwen 3.5 397B', 'qwen/qwen3.5-397b-a17b', 'nvidia-nim'],
  ['Qwen 3 Coder 480B', 'qwen/qwen3-coder-480b-a35b-instruct', 'nvidia-nim'],
  ['QwQ 32B', 'qwen/qwq-32b', 'nvidia-nim'],
  ['GLM-5', 'z-ai/glm5', 'nvidia-nim'],
  ['MiniMax M2.5', 'minimaxai/minimax-m2.5', 'nvidia-nim'],
  ['Phi-4', 'microsoft/phi-4-mini-instruct', 'nvidia-nim'],
  ['GPT-OSS', 'openai/gpt-oss-120b', 'nvidia-nim'],
  ['GPT-OSS', 'openai/gpt-oss-20b', 'nvidia-nim'],
  ['Nemotron Ultra', 'nvidia/llama-3.1-nemotron-ultra-253b-v1', 'nvidia-nim'],
];

/**
 * The spec's token prices, USD per 1M tokens (input, output). The main pricing table and the Gemini table agree
 * where they overlap (gemini-3.1-pro-preview, gemini-3-flash-preview). Llama 4's "Free" is from the provider list.
 */
const SPEC_TOKEN_PRICES: [id: string, input: string, output: string][] = [
  ['claude-opus-4-6', '3.00', '15.00'],
  ['claude-opus-4-6-thinking', '3.00', '15.00'],
  ['claude-sonnet-4-6', '1.80', '9.00'],
  ['claude-sonnet-4-6-thinking', '1.80', '9.00'],
  ['claude-haiku-4-5-20251001', '0.60', '3.00'],
  ['gemini-3.1-pro-preview', '1.20', '7.20'],
  ['gemini-3-flash-preview', '0.30', '1.80'],
  ['meta/llama-3.3-70b-instruct', '0', '0'],
  ['meta/llama-3.1-405b-instruct', '0', '0'],
  ['qwen/qwen3.5-397b-a17b', '0.02', '0.06'],
  ['mistralai/mistral-large-3-675b-instruct-2512', '0.10', '0.30'],
  ['moonshotai/kimi-k2.5', '0.12', '0.60'],
  ['z-ai/glm5', '0.20', '0.64'],
  ['gemini-2.5-flash', '0.30', '1.80'],
  ['gemini-2.5-pro', '1.25', '5.00'],
  ['gemini-3-pro-preview', '1.25', '7.50'],
  ['gemini-3.1-flash-lite-preview', '0.15', '0.90'],
  ['meta/llama-4-maverick-17b-128e-instruct', '0', '0'],
  ['meta/llama-4-scout-17b-16e-instruct', '0', '0'],
];

describe('the spec, model by model', () => {
  it.each(SPEC_MODEL_IDS)('resolves %s', (id) => {
    expect(catalog.find(id)).toBeDefined();
  });

  it.each(SPEC_FAMILIES)('serves the family "%s" as %s through %s', (_family, id, provider) => {
    expect(catalog.find(id)?.provider).toBe(provider);
  });

  it('resolves the ids the examples use to the models they mean', () => {
    expect(catalog.find('claude-sonnet-4')?.id).toBe('claude-sonnet-4-6');
    expect(catalog.find('gpt-4.1')?.provider).toBe('openai');
  });

  it.each(SPEC_TOKEN_PRICES)("prices %s at the spec's $%s / $%s per 1M tokens", (id, input, output) => {
    const price = catalog.find(id)?.price;
    expect(price).toEqual(expect.objectContaining({ unit: 'token', source: 'spec', inputMicrosPerMTok: micros(input), outputMicrosPerMTok: micros(output) }));
  });

  it("prices nano-banana-2 at the spec's $0.082/image", () => {
    expect(catalog.findOfKind('nano-banana-2', 'image')?.price).toEqual(
      expect.objectContaining({ unit: 'image', source: 'spec', microsPerImage: micros('0.082') }),
    );
  });

  it("prices grok-video-3 at the spec's $0.030/sec and reproduces its duration table", () => {
    const grok = catalog.findOfKind('grok-video-3', 'video');
    expect(grok?.price).toEqual(expect.objectContaining({ unit: 'second', source: 'spec', microsPerSecond: micros('0.030') }));
    for (const [seconds, usd] of [
      [5, '0.150'],
      [8, '0.240'],
      [10, '0.300'],
      [15, '0.450'],
    ] as const) {
      expect(videoCostMicros(grok!.price, seconds)).toBe(BigInt(micros(usd)));
    }
    expect([grok?.minSeconds, grok?.maxSeconds, grok?.defaultSeconds]).toEqual([5, 15, 8]);
    expect(grok?.resolutions).toEqual(['480p', '720p']);
  });

  it("gives nano-banana-2 the spec's 1K/2K/4K sizes, charged per image", () => {
    const image = catalog.findOfKind('nano-banana-2', 'image')!;
    expect(image.imageSizes).toEqual(['1K', '2K', '4K']);
    expect(imageCostMicros(image.price, 3)).toBe(246_000n);
  });

  it.each([
    ['text-embedding-3-large', 3072],
    ['text-embedding-3-small', 1536],
    ['text-embedding-ada-002', 1536],
  ] as const)("gives %s the spec's %i dimensions", (id, dimensions) => {
    expect(catalog.findOfKind(id, 'embedding')?.dimensions).toBe(dimensions);
  });
});
