import { ModelEntry, ModelKind, ProviderId, WireFormatId } from './catalog.types';

export interface ProviderEntry {
  id: ProviderId;
  /** The provider's main API: what its chat models speak, or for a media provider the one API it has. */
  format: WireFormatId;
  /** The format for each kind of model this provider serves; a kind absent here is not served by it. */
  formats: Partial<Record<ModelKind, WireFormatId>>;
  /** The vendor's public endpoint; configuration may point it elsewhere (a proxy, the sandbox). */
  defaultBaseUrl: string;
  /** Prefix of this provider's environment variables: `<PREFIX>_BASE_URL`, `<PREFIX>_API_KEY`. */
  envPrefix: string;
}

/**
 * Base URLs are what the vendors document, without the path an adapter appends: Anthropic's SDK appends
 * `/v1/messages`, Gemini's `/v1beta/models/...`, the OpenAI-compatible ones `/chat/completions` after their `/v1`.
 * DeepSeek documents `https://api.deepseek.com` (its `/v1` is an alias) and serves `/chat/completions` there.
 *
 * Suno has no official public API. Its models are reached through a relay speaking the `/suno/submit/music` task
 * protocol, so its base URL is a placeholder on the reserved `.invalid` domain (RFC 2606), which never resolves:
 * configure me with `SUNO_BASE_URL`. Until then, and like every provider, it is off unless `SUNO_API_KEY` is set.
 */
export const providers: Record<ProviderId, ProviderEntry> = {
  openai: {
    id: 'openai',
    format: 'openai-chat',
    formats: { chat: 'openai-chat', embedding: 'openai-embeddings' },
    defaultBaseUrl: 'https://api.openai.com/v1',
    envPrefix: 'OPENAI',
  },
  'nvidia-nim': {
    id: 'nvidia-nim',
    format: 'openai-chat',
    formats: { chat: 'openai-chat' },
    defaultBaseUrl: 'https://integrate.api.nvidia.com/v1',
    envPrefix: 'NVIDIA_NIM',
  },
  anthropic: {
    id: 'anthropic',
    format: 'anthropic-messages',
    formats: { chat: 'anthropic-messages' },
    defaultBaseUrl: 'https://api.anthropic.com',
    envPrefix: 'ANTHROPIC',
  },
  google: {
    id: 'google',
    format: 'gemini',
    formats: { chat: 'gemini', embedding: 'gemini-embeddings', image: 'gemini-image' },
    defaultBaseUrl: 'https://generativelanguage.googleapis.com',
    envPrefix: 'GEMINI',
  },
  deepseek: {
    id: 'deepseek',
    format: 'openai-chat',
    formats: { chat: 'openai-chat' },
    defaultBaseUrl: 'https://api.deepseek.com',
    envPrefix: 'DEEPSEEK',
  },
  'xai-video': { id: 'xai-video', format: 'xai-video', formats: { video: 'xai-video' }, defaultBaseUrl: 'https://api.x.ai/v1', envPrefix: 'XAI' },
  suno: { id: 'suno', format: 'suno', formats: { music: 'suno' }, defaultBaseUrl: 'https://suno-relay.invalid', envPrefix: 'SUNO' },
};

/** The wire format the gateway speaks to reach this model. */
export function wireFormatOf(model: ModelEntry): WireFormatId {
  const format = providers[model.provider].formats[model.kind];
  if (!format) throw new Error(`provider ${model.provider} serves no ${model.kind} models (model ${model.id})`);
  return format;
}
