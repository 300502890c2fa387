import type { Dispatcher } from 'undici';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import {
  postUpstreamChecked,
  readServerSentEvents,
  upstreamTransportError,
  UpstreamEndpoint,
  UpstreamTimeouts,
  UpstreamUsage,
} from '@apitopmix/providers/core';
import { openAiCompatibleApi } from './openai-compatible.api';
import { openAiCompatibleError } from './openai-compatible.errors';

const errorPayload = /^\s*\{\s*"error"\s*:/;
const finishReason = /"finish_reason"\s*:\s*"/;

export interface OpenAiChatResult {
  /** The upstream's JSON exactly as received. */
  body: Buffer;
  usage?: UpstreamUsage;
  model?: string;
}

/** A Chat Completions call against an OpenAI-compatible upstream, whole or streamed. */
export class OpenAiCompatibleChat {
  constructor(
    private readonly agent: Dispatcher,
    private readonly timeouts: UpstreamTimeouts,
  ) {}

  async complete(endpoint: UpstreamEndpoint, body: string, signal?: AbortSignal): Promise<OpenAiChatResult> {
    const response = await this.post(endpoint, body, signal);
    const bytes = Buffer.from(await response.body.arrayBuffer());
    let parsed: { usage?: OpenAiUsage; model?: unknown };
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${endpoint.provider}) sent an unreadable response.`, { cause: error });
    }
    return { body: bytes, usage: fromOpenAiUsage(parsed.usage), model: typeof parsed.model === 'string' ? parsed.model : undefined };
  }

  /**
   * Yields each server-sent event's data as the upstream sends it, ending before `[DONE]`. Aborting `signal`
   * closes the upstream connection.
   */
  async *stream(endpoint: UpstreamEndpoint, body: string, signal?: AbortSignal): AsyncGenerator<string> {
    const response = await this.post(endpoint, body, signal);
    try {
      let finished = false;
      for await (const event of readServerSentEvents(response.body)) {
        if (event.data === '[DONE]') return;
        // An error in the stream's place (OpenAI sends `data: {"error": …}`): the upstream's wording stays out.
        if (errorPayload.test(event.data))
          throw new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${endpoint.provider}) failed mid-stream.`);
        if (!finished && finishReason.test(event.data)) finished = true;
        yield event.data;
      }
      // Some servers omit [DONE]; a stream that ended without it and without a finish reason was cut off.
      if (!finished) throw new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${endpoint.provider}) ended the stream early.`);
    } catch (error) {
      if (signal?.aborted) throw error;
      throw upstreamTransportError(endpoint.provider, error);
    } finally {
      // Whether we finished, failed or the consumer stopped early, release the connection.
      response.body.destroy();
    }
  }

  private post(endpoint: UpstreamEndpoint, body: string, signal?: AbortSignal): Promise<Dispatcher.ResponseData> {
    const request = {
      url: openAiCompatibleApi.chatCompletionsUrl(endpoint),
      headers: openAiCompatibleApi.headers(endpoint),
      body,
      timeouts: this.timeouts,
      signal,
    };
    return postUpstreamChecked(this.agent, endpoint.provider, request, (status, text) => openAiCompatibleError(endpoint.provider, status, text));
  }
}

interface OpenAiUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
}

export function fromOpenAiUsage(usage: OpenAiUsage | null | undefined): UpstreamUsage | undefined {
  if (!usage || typeof usage.prompt_tokens !== 'number') return undefined;
  return { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens ?? 0 };
}
