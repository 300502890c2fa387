import { ProviderId, WireFormatId } from './catalog.types';

export interface ProviderEntry {
  id: ProviderId;
  format: WireFormatId;
  /** The vendor's public endpoint; configuration may point it elsewhere (a proxy, the sandbox). */
  defaultBaseUrl: string;
  /** Prefix of this provider's environment variables: `<PREFIX>_BASE_URL`, `<PREFIX>_API_KEY`. */
  envPrefix: string;
}

export const providers: Record<ProviderId, ProviderEntry> = {
  openai: { id: 'openai', format: 'openai-chat', defaultBaseUrl: 'https://api.openai.com/v1', envPrefix: 'OPENAI' },
  'nvidia-nim': { id: 'nvidia-nim', format: 'openai-chat', defaultBaseUrl: 'https://integrate.api.nvidia.com/v1', envPrefix: 'NVIDIA_NIM' },
};
