import type { InboundDialect } from '@apitopmix/contracts';
import type { OpenAiChatRequest } from './openai-chat.request';
import type { OpenAiChatCompletion } from './openai-chat.types';
import { openAiChatFromCanonical } from './openai-chat.from-canonical';
import { OpenAiChatStreamRenderer } from './openai-chat.stream-renderer';
import { openAiChatToCanonical } from './openai-chat.to-canonical';

/**
 * The OpenAI Chat Completions dialect, for `/v1/chat/completions` calls served by an upstream that does not speak
 * OpenAI's format (Claude, Gemini). Requests come in validated by `parseOpenAiChatRequest`; a stream's
 * `includeUsage` is the request's `stream_options.include_usage`.
 */
export const openAiChatDialect: InboundDialect<OpenAiChatRequest, OpenAiChatCompletion> = {
  toCanonical: openAiChatToCanonical,
  fromCanonical: openAiChatFromCanonical,
  streamRenderer: (context) => new OpenAiChatStreamRenderer(context),
};
