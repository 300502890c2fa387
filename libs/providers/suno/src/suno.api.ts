import { UpstreamEndpoint } from '@apitopmix/providers/core';

/**
 * The Suno relay task protocol (Suno has no official public API; relays speak this one): `POST /suno/submit/music`
 * answers `{"code": "success", "data": "<task id>"}`; `GET /suno/fetch/{task_id}` answers the task
 * (`NOT_START`, `SUBMITTED`, `QUEUED`, `IN_PROGRESS`, then `SUCCESS` with its clips or `FAILURE` with a reason).
 * Bearer auth.
 */
export const sunoApi = {
  submitMusicUrl: (endpoint: UpstreamEndpoint) => `${base(endpoint)}/suno/submit/music`,
  fetchUrl: (endpoint: UpstreamEndpoint, taskId: string) => `${base(endpoint)}/suno/fetch/${encodeURIComponent(taskId)}`,
  headers: (endpoint: UpstreamEndpoint): Record<string, string> => ({ authorization: `Bearer ${endpoint.apiKey}` }),
};

const base = (endpoint: UpstreamEndpoint) => endpoint.baseUrl.replace(/\/+$/, '');
