import type { Dispatcher } from 'undici';
import { ChatModelEntry, WireFormatId } from '@apitopmix/catalog';
import { AnthropicChat, anthropicPassthroughBody, fromAnthropicUsage } from '@apitopmix/providers/anthropic';
import { UpstreamEndpoint, UpstreamTimeouts, UpstreamUsage } from '@apitopmix/providers/core';
import { GeminiChat, geminiPassthroughBody } from '@apitopmix/providers/gemini';
import { OpenAiCompatibleChat } from '@apitopmix/providers/openai-compatible';
import type { UpstreamEvent } from '../upstreams/chat-upstreams';
import { AnthropicStreamTap, anthropicPromptText } from './anthropic-passthrough';
import { GeminiStreamTap, geminiPromptText } from './gemini-passthrough';
import { openAiPassthroughBody, openAiPromptText, OpenAiStreamTap } from './openai-passthrough';
import type { StreamTap } from './stream-tap';

/** Injection token for the map of pass-through upstreams by wire format. */
export const PASSTHROUGH_UPSTREAMS = Symbol('PASSTHROUGH_UPSTREAMS');

export interface PassthroughBody {
  /** What is sent upstream: the caller's body with only what the gateway owns changed. */
  json: string;
  /** The prompt's text, for the estimate when the upstream reports no usage (rare, so worked out only then). */
  promptText(): string;
}

export interface PassthroughResult {
  /** The upstream's answer exactly as received, which is what the caller gets. */
  body: Buffer;
  usage?: UpstreamUsage;
  model?: string;
}

/**
 * One upstream format for callers who already speak it: the body goes up as the caller sent it (after the edge's
 * validation) but for what the gateway owns, and the answer comes back byte for byte, so nothing a vendor adds is
 * lost. Streams are watched by a tap for usage and completeness.
 */
export interface PassthroughUpstream {
  body(raw: Buffer, model: ChatModelEntry, stream: boolean): PassthroughBody;
  complete(endpoint: UpstreamEndpoint, model: ChatModelEntry, json: string, signal: AbortSignal): Promise<PassthroughResult>;
  stream(endpoint: UpstreamEndpoint, model: ChatModelEntry, json: string, signal: AbortSignal): AsyncIterable<UpstreamEvent>;
  tap(provider: string, callerWantsUsage: boolean): StreamTap;
}

/** The pass-through upstreams by wire format, sharing one connection pool. */
export function createPassthroughUpstreams(agent: Dispatcher, timeouts: UpstreamTimeouts): Partial<Record<WireFormatId, PassthroughUpstream>> {
  const openAi = new OpenAiCompatibleChat(agent, timeouts);
  const anthropic = new AnthropicChat(agent, timeouts);
  const gemini = new GeminiChat(agent, timeouts);
  return {
    'openai-chat': {
      body: (raw, model, stream) => {
        const { json, parsed } = openAiPassthroughBody(raw, model.upstreamModel, stream);
        return { json, promptText: () => openAiPromptText(parsed) };
      },
      complete: (endpoint, _model, json, signal) => openAi.complete(endpoint, json, signal),
      stream: (endpoint, _model, json, signal) => dataOnly(openAi.stream(endpoint, json, signal)),
      tap: (_provider, callerWantsUsage) => new OpenAiStreamTap(callerWantsUsage),
    },
    'anthropic-messages': {
      // The caller's `stream` decided at the edge whether this is a streamed call, so the body already says so.
      body: (raw, model) => {
        const json = anthropicPassthroughBody(raw, model.upstreamModel, {
          thinking: model.thinking?.mode === 'variant' ? { budgetTokens: model.thinking.budgetTokens } : undefined,
          maxOutputTokens: model.maxOutputTokens,
        });
        return { json, promptText: () => anthropicPromptText(JSON.parse(json) as Record<string, unknown>) };
      },
      complete: async (endpoint, _model, json, signal) => {
        const { body, json: message } = await anthropic.complete(endpoint, json, signal);
        const { inputTokens, outputTokens } = fromAnthropicUsage(message.usage);
        return { body, usage: message.usage ? { inputTokens, outputTokens } : undefined, model: message.model };
      },
      stream: (endpoint, _model, json, signal) => anthropic.stream(endpoint, json, signal),
      tap: (provider) => new AnthropicStreamTap(provider),
    },
    gemini: {
      body: (raw, model) => {
        const json = geminiPassthroughBody(raw, { thinking: model.thinking, maxOutputTokens: model.maxOutputTokens });
        return { json, promptText: () => geminiPromptText(JSON.parse(json) as Record<string, unknown>) };
      },
      complete: (endpoint, model, json, signal) => gemini.complete(endpoint, model.upstreamModel, json, signal),
      stream: (endpoint, model, json, signal) => dataOnly(gemini.stream(endpoint, model.upstreamModel, json, signal)),
      tap: (provider) => new GeminiStreamTap(provider),
    },
  };
}

async function* dataOnly(source: AsyncIterable<string>): AsyncGenerator<UpstreamEvent> {
  for await (const data of source) yield { data };
}
