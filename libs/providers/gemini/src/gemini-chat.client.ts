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
import { geminiApi } from './gemini.api';
import { geminiUpstreamError } from './gemini.errors';
import { fromGeminiUsage } from './gemini.response';
import type { GeminiUsageMetadata } from './gemini.types';

export interface GeminiChatResult {
  /** Google's JSON exactly as received. */
  body: Buffer;
  usage?: UpstreamUsage;
  /** Google's modelVersion. */
  model?: string;
}

/** Google's usage as the gateway's billing usage (output counts the thinking), or undefined when it sent none. */
export function geminiUpstreamUsage(metadata: GeminiUsageMetadata | undefined): UpstreamUsage | undefined {
  if (!metadata || typeof metadata.promptTokenCount !== 'number') return undefined;
  const { inputTokens, outputTokens } = fromGeminiUsage(metadata);
  return { inputTokens, outputTokens };
}

const errorChunk = /^\s*\{\s*"error"\s*:/;

/** A generateContent call against Google's Gemini API, whole or streamed (`alt=sse`). */
export class GeminiChat {
  constructor(
    private readonly agent: Dispatcher,
    private readonly timeouts: UpstreamTimeouts,
  ) {}

  async complete(endpoint: UpstreamEndpoint, upstreamModel: string, body: string, signal?: AbortSignal): Promise<GeminiChatResult> {
    const response = await this.post(endpoint, geminiApi.generateContentUrl(endpoint, upstreamModel), body, signal);
    const bytes = Buffer.from(await response.body.arrayBuffer());
    let parsed: { usageMetadata?: GeminiUsageMetadata; modelVersion?: unknown };
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${endpoint.provider}) sent an unreadable response.`, { cause: error });
    }
    return {
      body: bytes,
      usage: geminiUpstreamUsage(parsed?.usageMetadata),
      model: typeof parsed?.modelVersion === 'string' ? parsed.modelVersion : undefined,
    };
  }

  /**
   * Yields each server-sent event's data (one GenerateContentResponse chunk) as Google sends it; the stream ends
   * with the body (Gemini has no `[DONE]`). An error chunk mid-stream is thrown as the gateway's error, so Google's
   * wording never reaches the caller. Aborting `signal` closes the upstream connection.
   */
  async *stream(endpoint: UpstreamEndpoint, upstreamModel: string, body: string, signal?: AbortSignal): AsyncGenerator<string> {
    const response = await this.post(endpoint, geminiApi.streamGenerateContentUrl(endpoint, upstreamModel), body, signal);
    try {
      for await (const event of readServerSentEvents(response.body)) {
        if (errorChunk.test(event.data)) throw midStreamError(endpoint.provider, event.data);
        yield event.data;
      }
    } catch (error) {
      if (signal?.aborted) throw error;
      throw upstreamTransportError(endpoint.provider, error);
    } finally {
      // Whether we finished, failed or the consumer stopped early, release the connection.
      response.body.destroy();
    }
  }

  private post(endpoint: UpstreamEndpoint, url: string, body: string, signal?: AbortSignal): Promise<Dispatcher.ResponseData> {
    const request = { url, headers: geminiApi.headers(endpoint), body, timeouts: this.timeouts, signal };
    return postUpstreamChecked(this.agent, endpoint.provider, request, (status, text) => geminiUpstreamError(endpoint.provider, status, text));
  }
}

function midStreamError(provider: string, data: string): GatewayError {
  let code = 500;
  try {
    const parsed = JSON.parse(data) as { error?: { code?: unknown } };
    if (typeof parsed.error?.code === 'number') code = parsed.error.code;
  } catch {
    // an error we cannot read is a failure of the upstream
  }
  return geminiUpstreamError(provider, code, data);
}
