import type { InboundDialect } from '@apitopmix/contracts';
import { anthropicFromCanonical } from './anthropic-messages.from-canonical';
import type { AnthropicMessagesRequest } from './anthropic-messages.request';
import { AnthropicStreamRenderer } from './anthropic-messages.stream-renderer';
import { anthropicToCanonical } from './anthropic-messages.to-canonical';
import type { AnthropicMessagesResponse } from './anthropic-messages.types';

/** The Anthropic Messages dialect of `/v1/messages`: validated requests to canonical, canonical answers back. */
export const anthropicMessagesDialect: InboundDialect<AnthropicMessagesRequest, AnthropicMessagesResponse> = {
  toCanonical: anthropicToCanonical,
  fromCanonical: anthropicFromCanonical,
  streamRenderer: (context) => new AnthropicStreamRenderer(context),
};
