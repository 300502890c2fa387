import { UpstreamEndpoint } from '@apitopmix/providers/core';

/** Base URL, headers and endpoints of any OpenAI-compatible API (OpenAI, NVIDIA NIM, DeepSeek, vLLM, Ollama). */
export const openAiCompatibleApi = {
  chatCompletionsUrl: (endpoint: UpstreamEndpoint) => `${endpoint.baseUrl.replace(/\/+$/, '')}/chat/completions`,
  embeddingsUrl: (endpoint: UpstreamEndpoint) => `${endpoint.baseUrl.replace(/\/+$/, '')}/embeddings`,
  headers: (endpoint: UpstreamEndpoint): Record<string, string> => ({ authorization: `Bearer ${endpoint.apiKey}` }),
};
