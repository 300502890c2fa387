import { Controller, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { providers } from '@apitopmix/catalog';
import { CanonicalChatResponse, CanonicalStreamEvent, chat } from '@apitopmix/contracts';
import {
  anthropicMessagesDialect,
  AnthropicMessagesRequest,
  anthropicSseFrame,
  estimateAnthropicRequestTokens,
  parseAnthropicMessagesRequest,
  toAnthropicError,
} from '@apitopmix/dialects/anthropic-messages';
import { GatewayError } from '@apitopmix/platform/errors';
import { CompletionRunner, DialectRequestReader } from '../chat/completion-runner';
import { StreamFraming } from '../http/sse-relay';

const reader: DialectRequestReader<AnthropicMessagesRequest> = {
  parse: parseAnthropicMessagesRequest,
  model: (request) => request.model,
  estimateTokens: (request) => estimateAnthropicRequestTokens(request),
};

/** Errors after the stream began, as Anthropic sends them: an `error` event. */
const errorFrame = (error: GatewayError) => anthropicSseFrame('error', toAnthropicError(error).body as unknown as Record<string, unknown>);

/** An Anthropic upstream's own events, written as it named them. */
const passthroughFraming: StreamFraming = {
  frames: (data, eventName) => [eventName ? `event: ${eventName}\ndata: ` : 'data: ', data, '\n\n'],
  end: () => [],
  error: errorFrame,
};

/**
 * POST /v1/messages in Anthropic's Messages format, for any model in the catalog. For an Anthropic upstream the body
 * passes through and the answer comes back as Anthropic sent it; for any other, the request travels in canonical
 * form and the answer is rendered in Anthropic's shapes and event sequence.
 */
@Controller()
export class MessagesController {
  constructor(private readonly runner: CompletionRunner) {}

  @Post('/v1/messages')
  async create(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const admitted = await this.runner.admit(req, reply, reader);
    if (!req.headers['anthropic-version']) throw GatewayError.invalid('anthropic-version: header is required', 'anthropic-version');
    const { request, model } = admitted;
    if (providers[model.provider].format === 'anthropic-messages') {
      const completion = this.runner.completionRequest(
        req,
        admitted,
        chat.WireFormat.WIRE_FORMAT_ANTHROPIC_MESSAGES,
        req.rawBody ?? Buffer.from(JSON.stringify(request)),
        true,
      );
      if (!request.stream) {
        const response = await this.runner.complete(req, admitted, completion);
        reply.status(200).header('content-type', 'application/json').send(response.body);
        return;
      }
      await this.runner.stream(reply, admitted, completion, passthroughFraming);
      return;
    }
    const canonical = anthropicMessagesDialect.toCanonical(request);
    const completion = this.runner.completionRequest(req, admitted, chat.WireFormat.WIRE_FORMAT_CANONICAL, Buffer.from(JSON.stringify(canonical)), true);
    if (!request.stream) {
      const response = await this.runner.complete(req, admitted, completion);
      const message = anthropicMessagesDialect.fromCanonical(JSON.parse(response.body.toString('utf8')) as CanonicalChatResponse, { model: request.model });
      reply.status(200).header('content-type', 'application/json').send(JSON.stringify(message));
      return;
    }
    const renderer = anthropicMessagesDialect.streamRenderer({ model: request.model, includeUsage: true });
    const framing: StreamFraming = {
      frames: (data) => renderer.render(JSON.parse(data.toString('utf8')) as CanonicalStreamEvent),
      end: () => renderer.end(),
      error: errorFrame,
    };
    await this.runner.stream(reply, admitted, completion, framing);
  }
}
