import { UpstreamEndpoint } from '@apitopmix/providers/core';

/** The API version every request names (Anthropic's only stable version of the Messages API). */
export const ANTHROPIC_VERSION = '2023-06-01';

/**
 * Base URL, headers and endpoint of Anthropic's Messages API. The base URL is the host root, as in Anthropic's SDKs
 * (`https://api.anthropic.com`); one configured with a trailing `/v1` is accepted too.
 */
export const anthropicApi = {
  messagesUrl: (endpoint: UpstreamEndpoint) => `${endpoint.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1/messages`,
  headers: (endpoint: UpstreamEndpoint): Record<string, string> => ({
    'x-api-key': endpoint.apiKey,
    'anthropic-version': ANTHROPIC_VERSION,
    'content-type': 'application/json',
  }),
};
