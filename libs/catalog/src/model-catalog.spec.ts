import { ChatModelEntry, ModelEntry, ModelKind } from './catalog.types';
import { ModelCatalog } from './model-catalog';
import { models } from './models';
import { providers, wireFormatOf } from './providers';

const catalog = new ModelCatalog();
const chatModels = catalog.listByKind('chat');
const allPrices = models.map((model) => [model.id, model.price] as const);

describe('the catalog', () => {
  it('holds at least 50 models', () => {
    expect(models.length).toBeGreaterThanOrEqual(50);
  });

  it('has no id or alias twice, and refuses a catalog that does', () => {
    const names = models.flatMap((model) => [model.id, ...(model.aliases ?? [])]);
    expect(new Set(names).size).toBe(names.length);
    const [first] = catalog.models;
    expect(() => new ModelCatalog([first, { ...first }])).toThrow(/duplicate/);
    expect(() => new ModelCatalog([first, { ...first, id: 'other', aliases: [first.id] }])).toThrow(/duplicate/);
  });

  it.each(allPrices.filter(([, price]) => price.source === 'derived'))('states the basis of the derived price of %s', (_id, price) => {
    expect(price.basis?.trim().length).toBeGreaterThan(20);
  });

  it.each(allPrices)('prices %s in whole, non-negative micro-USD', (_id, price) => {
    const amounts = Object.entries(price).filter(([key]) => key.startsWith('micros') || key.endsWith('MTok'));
    expect(amounts.length).toBeGreaterThan(0);
    for (const [, amount] of amounts) expect(Number.isSafeInteger(amount) && (amount as number) >= 0).toBe(true);
  });

  it('prices each kind in its unit', () => {
    const unitOf: Record<ModelKind, string> = { chat: 'token', embedding: 'token', image: 'image', video: 'second', music: 'track' };
    for (const model of models) expect([model.id, model.price.unit]).toEqual([model.id, unitOf[model.kind]]);
  });

  it('bills embeddings for input only', () => {
    for (const model of catalog.listByKind('embedding')) expect(model.price.outputMicrosPerMTok).toBe(0);
  });

  it('routes every model to a provider that serves its kind', () => {
    for (const model of models) expect(() => wireFormatOf(model)).not.toThrow();
    expect(wireFormatOf(catalog.find('text-embedding-3-small')!)).toBe('openai-embeddings');
    expect(wireFormatOf(catalog.find('gemini-embedding-001')!)).toBe('gemini-embeddings');
    expect(wireFormatOf(catalog.find('nano-banana-2')!)).toBe('gemini-image');
    expect(wireFormatOf(catalog.find('gemini-3-pro-preview')!)).toBe('gemini');
    expect(wireFormatOf(catalog.find('claude-opus-4-6')!)).toBe('anthropic-messages');
  });

  it('keeps stable created times', () => {
    for (const model of models) expect(Number.isSafeInteger(model.created) && model.created > 1_700_000_000).toBe(true);
    expect(new ModelCatalog().toOpenAiList()).toEqual(catalog.toOpenAiList());
  });

  it('says a chat model thinks exactly when it says how', () => {
    for (const model of chatModels) expect([model.id, model.capabilities.thinking]).toEqual([model.id, model.thinking !== undefined]);
  });
});

describe('ModelCatalog.find', () => {
  it('resolves ids and aliases exactly as given, case-sensitively', () => {
    expect(catalog.find('gpt-4.1')?.id).toBe('gpt-4.1');
    expect(catalog.find('meta/llama-3.3-70b-instruct')?.price).toMatchObject({ inputMicrosPerMTok: 0 });
    expect(catalog.find('claude-haiku-4-5')?.id).toBe('claude-haiku-4-5-20251001');
    expect(catalog.find('GPT-4.1')).toBeUndefined();
    expect(catalog.find('Claude-Sonnet-4-6')).toBeUndefined();
    expect(catalog.find('no-such-model')).toBeUndefined();
    expect(catalog.find('')).toBeUndefined();
  });

  it("accepts the Gemini API's models/ prefix", () => {
    expect(catalog.find('models/gemini-3-pro-preview')?.id).toBe('gemini-3-pro-preview');
    expect(catalog.find('models/gemini-3.1-flash-image-preview')?.id).toBe('nano-banana-2');
    expect(catalog.find('models/claude-sonnet-4')?.id).toBe('claude-sonnet-4-6');
    expect(catalog.find('models/')).toBeUndefined();
    expect(catalog.find('models/models/gemini-3-pro-preview')).toBeUndefined();
  });

  it("accepts Vertex AI's google publisher prefixes for Google's models only", () => {
    expect(catalog.find('google/gemini-3-pro-preview')?.id).toBe('gemini-3-pro-preview');
    expect(catalog.find('publishers/google/models/gemini-3.1-pro-preview')?.id).toBe('gemini-3.1-pro-preview');
    expect(catalog.find('google/nano-banana-2')?.id).toBe('nano-banana-2');
    expect(catalog.find('google/gpt-4.1')).toBeUndefined();
    expect(catalog.find('google/claude-sonnet-4-6')).toBeUndefined();
    expect(catalog.find('publishers/google/models/meta/llama-3.3-70b-instruct')).toBeUndefined();
  });

  it('prefers an exact id over a prefixed reading of it', () => {
    const prefixedId = { ...catalog.find('gpt-4.1')!, id: 'models/gpt-4.1' };
    const own = new ModelCatalog([catalog.find('gpt-4.1')!, { ...prefixedId, upstreamModel: 'elsewhere' }]);
    expect(own.find('models/gpt-4.1')?.upstreamModel).toBe('elsewhere');
  });

  it('finds a model of one kind only', () => {
    expect(catalog.findOfKind('text-embedding-3-small', 'embedding')?.dimensions).toBe(1536);
    expect(catalog.findOfKind('text-embedding-3-small', 'chat')).toBeUndefined();
    expect(catalog.findOfKind('gpt-4.1', 'chat')?.maxOutputTokens).toBe(32_768);
  });
});

describe('upstream ids', () => {
  it.each([
    // Google shut these preview ids down; Google's recommended replacement serves them.
    ['gemini-3-pro-preview', 'gemini-3.1-pro-preview'],
    ['gemini-3.1-flash-lite-preview', 'gemini-3.1-flash-lite'],
    ['nano-banana-2', 'gemini-3.1-flash-image'],
    ['grok-video-3', 'grok-imagine-video'],
    ['suno', 'chirp-crow'],
    ['suno-v4.5', 'chirp-auk'],
    ['claude-sonnet-4', 'claude-sonnet-4-6'],
    ['deepseek-v3.2', 'deepseek-ai/deepseek-v3.2'],
  ])('serves %s with the upstream model %s', (id, upstream) => {
    expect(catalog.find(id)?.upstreamModel).toBe(upstream);
  });

  it("keeps the spec's DeepSeek models on NIM, with a direct DeepSeek route besides", () => {
    expect(catalog.find('deepseek-v3.2')?.provider).toBe('nvidia-nim');
    expect(catalog.find('deepseek-chat')?.provider).toBe('deepseek');
  });
});

describe('thinking variants', () => {
  const variants = chatModels.filter((model) => model.id.endsWith('-thinking') && model.provider === 'anthropic');

  it('exist for every Claude model the spec lists', () => {
    expect(variants.map((model) => model.id).sort()).toEqual(
      [
        'claude-haiku-4-5-20251001-thinking',
        'claude-opus-4-5-20251101-thinking',
        'claude-opus-4-6-thinking',
        'claude-sonnet-4-5-20250929-thinking',
        'claude-sonnet-4-6-thinking',
      ].sort(),
    );
  });

  it.each(variants.map((model) => [model.id, model] as const))('%s is its base model with thinking on', (_id, variant) => {
    if (variant.thinking?.mode !== 'variant') throw new Error(`${variant.id} is not marked as a thinking variant`);
    const base = catalog.findOfKind(variant.thinking.of, 'chat') as ChatModelEntry;
    expect(variant.id).toBe(`${base.id}-thinking`);
    expect(base.thinking?.mode).toBe('optional');
    const same = (model: ModelEntry & ChatModelEntry) => [model.provider, model.upstreamModel, model.contextWindow, model.maxOutputTokens];
    expect(same(variant)).toEqual(same(base));
    expect([variant.price.inputMicrosPerMTok, variant.price.outputMicrosPerMTok]).toEqual([base.price.inputMicrosPerMTok, base.price.outputMicrosPerMTok]);
    expect(variant.thinking.budgetTokens).toBeGreaterThanOrEqual(1_024);
    expect(variant.thinking.budgetTokens).toBeLessThan(variant.maxOutputTokens);
  });

  it('resolve through the undated aliases too', () => {
    expect(catalog.find('claude-opus-4-5-thinking')?.upstreamModel).toBe('claude-opus-4-5-20251101');
  });
});

describe('lists', () => {
  it('lists by kind', () => {
    const counts = Object.fromEntries((['chat', 'embedding', 'image', 'video', 'music'] as const).map((kind) => [kind, catalog.listByKind(kind).length]));
    expect(counts).toEqual({ chat: models.length - 8, embedding: 4, image: 1, video: 1, music: 2 });
    for (const model of catalog.listByKind('embedding')) expect(model.kind).toBe('embedding');
  });

  it("lists every kind in OpenAI's shape, owned by the maker, the quick-test model first", () => {
    const list = catalog.toOpenAiList();
    expect(list.object).toBe('list');
    expect(list.data).toHaveLength(models.length);
    expect(list.data[0]).toEqual({ id: 'gpt-4.1', object: 'model', created: expect.any(Number), owned_by: 'openai' });
    const owner = (id: string) => list.data.find((model) => model.id === id)?.owned_by;
    expect([
      owner('claude-opus-4-6'),
      owner('gemini-2.5-pro'),
      owner('text-embedding-3-large'),
      owner('nano-banana-2'),
      owner('grok-video-3'),
      owner('suno-v5'),
    ]).toEqual(['anthropic', 'google', 'openai', 'google', 'xai', 'suno']);
    expect(owner('meta/llama-3.3-70b-instruct')).toBe('meta');
    expect(owner('openai/gpt-oss-120b')).toBe('openai');
  });
});

describe('providers', () => {
  it.each(Object.values(providers).map((provider) => [provider.id, provider] as const))(
    '%s has a base URL, an env prefix and consistent formats',
    (id, provider) => {
      expect(new URL(provider.defaultBaseUrl).protocol).toBe('https:');
      expect(provider.envPrefix).toMatch(/^[A-Z][A-Z_]*$/);
      expect(Object.values(provider.formats)).toContain(provider.format);
      expect(models.some((model) => model.provider === id)).toBe(true);
    },
  );

  it('gives each provider its own env prefix', () => {
    const prefixes = Object.values(providers).map((provider) => provider.envPrefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });
});
