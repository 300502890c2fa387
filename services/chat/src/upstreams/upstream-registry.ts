import { z } from 'zod';
import { ModelEntry, providers, ProviderId } from '@apitopmix/catalog';
import { ConfigError } from '@apitopmix/platform/config';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { UpstreamEndpoint } from '@apitopmix/providers/core';

/**
 * Each provider's endpoint, read once from the environment: `<PREFIX>_BASE_URL` (defaults to the vendor's public
 * API) and `<PREFIX>_API_KEY`. A provider without a key is not configured, and its models answer 503.
 * Callers never influence where a request goes or which key it carries.
 */
export class UpstreamRegistry {
  private readonly endpoints = new Map<ProviderId, UpstreamEndpoint>();

  constructor(env: NodeJS.ProcessEnv = process.env) {
    const problems: string[] = [];
    for (const provider of Object.values(providers)) {
      const baseUrlVar = `${provider.envPrefix}_BASE_URL`;
      const keyVar = `${provider.envPrefix}_API_KEY`;
      const baseUrl = env[baseUrlVar] || provider.defaultBaseUrl;
      if (!z.url({ protocol: /^https?$/ }).safeParse(baseUrl).success) {
        problems.push(`${baseUrlVar}: must be an http(s) URL (got "${baseUrl}")`);
        continue;
      }
      const apiKey = env[keyVar];
      if (apiKey) this.endpoints.set(provider.id, { provider: provider.id, baseUrl, apiKey });
    }
    if (problems.length > 0) throw new ConfigError(problems);
  }

  get configuredProviders(): ProviderId[] {
    return [...this.endpoints.keys()];
  }

  endpointFor(model: ModelEntry): UpstreamEndpoint {
    const endpoint = this.endpoints.get(model.provider);
    if (!endpoint) {
      throw new GatewayError(ErrorCode.UpstreamUnavailable, `The model '${model.id}' is not available: its provider is not configured on this gateway.`);
    }
    return endpoint;
  }
}
