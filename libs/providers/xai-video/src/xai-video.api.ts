import { UpstreamEndpoint } from '@apitopmix/providers/core';

/**
 * xAI's asynchronous video API (base URL `https://api.x.ai/v1`): `POST /videos/generations` answers a
 * `request_id` at once; `GET /videos/{request_id}` says `pending` until the video is `done` (or `failed`,
 * `expired`). Bearer auth.
 */
export const xaiVideoApi = {
  generationsUrl: (endpoint: UpstreamEndpoint) => `${base(endpoint)}/videos/generations`,
  videoUrl: (endpoint: UpstreamEndpoint, requestId: string) => `${base(endpoint)}/videos/${encodeURIComponent(requestId)}`,
  headers: (endpoint: UpstreamEndpoint): Record<string, string> => ({ authorization: `Bearer ${endpoint.apiKey}` }),
};

const base = (endpoint: UpstreamEndpoint) => endpoint.baseUrl.replace(/\/+$/, '');
