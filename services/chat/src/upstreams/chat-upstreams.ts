import type { Dispatcher } from 'undici';
import { ChatModelEntry, WireFormatId } from '@apitopmix/catalog';
import { CanonicalChatRequest, CanonicalChatResponse, StreamParser } from '@apitopmix/contracts';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { AnthropicChat, AnthropicChatFormat } from '@apitopmix/providers/anthropic';
import { UpstreamEndpoint, UpstreamTimeouts } from '@apitopmix/providers/core';
import { GeminiChat, geminiFormat } from '@apitopmix/providers/gemini';
import { OpenAiCompatibleChat, openAiCompatibleFormat } from '@apitopmix/providers/openai-compatible';

/** Injection token for the map of chat upstreams by wire format. */
export const CHAT_UPSTREAMS = Symbol('CHAT_UPSTREAMS');

export interface UpstreamEvent {
  event?: string;
  data: string;
}

/**
 * One upstream wire format as the chat service uses it for the canonical path: build the upstream body from a
 * canonical request, call, and read the answer back into canonical form. Pass-through (the caller already speaks
 * the upstream's format) is handled beside it, in CompletionService.
 */
export interface ChatUpstream {
  toUpstreamBody(request: CanonicalChatRequest, model: ChatModelEntry): string;
  complete(endpoint: UpstreamEndpoint, model: ChatModelEntry, body: string, signal: AbortSignal): Promise<CanonicalChatResponse>;
  stream(endpoint: UpstreamEndpoint, model: ChatModelEntry, body: string, signal: AbortSignal): AsyncIterable<UpstreamEvent>;
  streamParser(): StreamParser;
}

/** The chat upstreams by wire format, sharing one connection pool. */
export function createChatUpstreams(agent: Dispatcher, timeouts: UpstreamTimeouts): Partial<Record<WireFormatId, ChatUpstream>> {
  const openAi = new OpenAiCompatibleChat(agent, timeouts);
  const anthropic = new AnthropicChat(agent, timeouts);
  const anthropicFormat = new AnthropicChatFormat();
  const gemini = new GeminiChat(agent, timeouts);
  return {
    'openai-chat': {
      toUpstreamBody: (request, model) =>
        JSON.stringify(openAiCompatibleFormat.toUpstream(request, { upstreamModel: model.upstreamModel, maxOutputTokens: model.maxOutputTokens })),
      complete: async (endpoint, _model, body, signal) =>
        openAiCompatibleFormat.fromUpstream(parse((await openAi.complete(endpoint, body, signal)).body, endpoint.provider)),
      stream: (endpoint, _model, body, signal) => mapData(openAi.stream(endpoint, body, signal)),
      streamParser: () => openAiCompatibleFormat.streamParser(),
    },
    'anthropic-messages': {
      toUpstreamBody: (request, model) =>
        JSON.stringify(
          anthropicFormat.toUpstream(request, {
            upstreamModel: model.upstreamModel,
            maxOutputTokens: model.maxOutputTokens,
            thinking: model.thinking?.mode === 'variant' ? { budgetTokens: model.thinking.budgetTokens } : undefined,
          }),
        ),
      complete: async (endpoint, _model, body, signal) => anthropicFormat.fromUpstream((await anthropic.complete(endpoint, body, signal)).json),
      stream: (endpoint, _model, body, signal) => anthropic.stream(endpoint, body, signal),
      streamParser: () => anthropicFormat.streamParser(),
    },
    gemini: {
      toUpstreamBody: (request, model) =>
        JSON.stringify(
          geminiFormat.toUpstream(request, { upstreamModel: model.upstreamModel, maxOutputTokens: model.maxOutputTokens, thinking: model.thinking }),
        ),
      complete: async (endpoint, model, body, signal) =>
        geminiFormat.fromUpstream(parse((await gemini.complete(endpoint, model.upstreamModel, body, signal)).body, endpoint.provider), {
          upstreamModel: model.upstreamModel,
        }),
      stream: (endpoint, model, body, signal) => mapData(gemini.stream(endpoint, model.upstreamModel, body, signal)),
      streamParser: () => geminiFormat.streamParser(),
    },
  };
}

async function* mapData(source: AsyncIterable<string>): AsyncGenerator<UpstreamEvent> {
  for await (const data of source) yield { data };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each format's parser checks the shape it reads
function parse(bytes: Buffer, provider: string): any {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${provider}) sent an unreadable response.`, { cause: error });
  }
}
