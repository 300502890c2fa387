import type { Dispatcher } from 'undici';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { postUpstreamChecked, readServerSentEvents, upstreamTransportError, UpstreamEndpoint, UpstreamTimeouts } from '@apitopmix/providers/core';
import { anthropicApi } from './anthropic.api';
import { anthropicError } from './anthropic.errors';
import type { AnthropicResponseBody } from './anthropic.types';

export interface AnthropicCompleteResult {
  /** Anthropic's JSON exactly as received. */
  body: Buffer;
  json: AnthropicResponseBody;
}

/** One server-sent event of Anthropic's stream, its data unparsed. */
export interface AnthropicStreamEvent {
  event?: string;
  data: string;
}

/** A Messages API call against Anthropic, whole or streamed. */
export class AnthropicChat {
  constructor(
    private readonly agent: Dispatcher,
    private readonly timeouts: UpstreamTimeouts,
  ) {}

  async complete(endpoint: UpstreamEndpoint, body: string, signal?: AbortSignal): Promise<AnthropicCompleteResult> {
    const response = await this.post(endpoint, body, signal);
    let bytes: Buffer;
    try {
      bytes = Buffer.from(await response.body.arrayBuffer());
    } catch (error) {
      if (signal?.aborted) throw error;
      throw upstreamTransportError(endpoint.provider, error);
    }
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${endpoint.provider}) sent an unreadable response.`, { cause: error });
    }
    if (json === null || typeof json !== 'object' || !Array.isArray((json as { content?: unknown }).content)) {
      throw new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${endpoint.provider}) sent an unreadable response.`);
    }
    return { body: bytes, json: json as AnthropicResponseBody };
  }

  /**
   * Yields each server-sent event as Anthropic sends it (`ping` and `error` included: the stream parser decides).
   * Aborting `signal`, or the consumer stopping early, closes the upstream connection.
   */
  async *stream(endpoint: UpstreamEndpoint, body: string, signal?: AbortSignal): AsyncGenerator<AnthropicStreamEvent> {
    const response = await this.post(endpoint, body, signal);
    try {
      for await (const event of readServerSentEvents(response.body))
        yield event.event === undefined ? { data: event.data } : { event: event.event, data: event.data };
    } catch (error) {
      if (signal?.aborted) throw error;
      throw upstreamTransportError(endpoint.provider, error);
    } finally {
      response.body.destroy();
    }
  }

  private post(endpoint: UpstreamEndpoint, body: string, signal?: AbortSignal): Promise<Dispatcher.ResponseData> {
    const request = { url: anthropicApi.messagesUrl(endpoint), headers: anthropicApi.headers(endpoint), body, timeouts: this.timeouts, signal };
    return postUpstreamChecked(this.agent, endpoint.provider, request, (status, text) => anthropicError(endpoint.provider, status, text));
  }
}
