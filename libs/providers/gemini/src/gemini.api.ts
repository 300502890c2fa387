import { UpstreamEndpoint } from '@apitopmix/providers/core';

export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

/** The API root: the base URL plus `/v1beta`, unless the base URL already names a version. */
function apiRoot(endpoint: UpstreamEndpoint): string {
  const base = endpoint.baseUrl.replace(/\/+$/, '');
  return /\/v1(alpha|beta)?$/.test(base) ? base : `${base}/v1beta`;
}

/** Base URL, headers and endpoints of Google's Gemini API (the model is in the path, the key in a header). */
export const geminiApi = {
  generateContentUrl: (endpoint: UpstreamEndpoint, model: string) => `${apiRoot(endpoint)}/models/${encodeURIComponent(model)}:generateContent`,
  streamGenerateContentUrl: (endpoint: UpstreamEndpoint, model: string) =>
    `${apiRoot(endpoint)}/models/${encodeURIComponent(model)}:streamGenerateContent?alt=sse`,
  embedContentUrl: (endpoint: UpstreamEndpoint, model: string) => `${apiRoot(endpoint)}/models/${encodeURIComponent(model)}:embedContent`,
  batchEmbedContentsUrl: (endpoint: UpstreamEndpoint, model: string) => `${apiRoot(endpoint)}/models/${encodeURIComponent(model)}:batchEmbedContents`,
  headers: (endpoint: UpstreamEndpoint): Record<string, string> => ({ 'x-goog-api-key': endpoint.apiKey }),
};
