import { Controller, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { providers } from '@apitopmix/catalog';
import { CanonicalChatResponse, CanonicalStreamEvent, chat } from '@apitopmix/contracts';
import { estimateRequestTokens, openAiChatDialect, OpenAiChatRequest, parseOpenAiChatRequest, sseEvent, toOpenAiError } from '@apitopmix/dialects/openai-chat';
import { CompletionRunner, DialectRequestReader } from '../chat/completion-runner';
import { StreamFraming } from '../http/sse-relay';

const reader: DialectRequestReader<OpenAiChatRequest> = {
  parse: parseOpenAiChatRequest,
  model: (request) => request.model,
  estimateTokens: (request, model) => estimateRequestTokens(request, model.maxOutputTokens),
};

/** POST /v1/chat/completions in OpenAI's format. */
@Controller()
export class ChatCompletionsController {
  constructor(private readonly runner: CompletionRunner) {}

  // Vertex's OpenAI-compatible endpoint too: any project and location; ids may carry Vertex's `google/` prefix.
  @Post(['/v1/chat/completions', '/v1/projects/:project/locations/:location/endpoints/openapi/chat/completions'])
  async create(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const admitted = await this.runner.admit(req, reply, reader);
    const { request, model } = admitted;
    // Same format upstream: the body passes through. Otherwise it travels in canonical form and comes back to be
    // rendered in OpenAI's shapes here.
    const passthrough = providers[model.provider].format === 'openai-chat';
    const includeUsage = request.stream_options?.include_usage === true;
    const completion = passthrough
      ? this.runner.completionRequest(req, admitted, chat.WireFormat.WIRE_FORMAT_OPENAI_CHAT, req.rawBody ?? Buffer.from(JSON.stringify(request)), includeUsage)
      : this.runner.completionRequest(
          req,
          admitted,
          chat.WireFormat.WIRE_FORMAT_CANONICAL,
          Buffer.from(JSON.stringify(openAiChatDialect.toCanonical(request))),
          includeUsage,
        );

    if (!request.stream) {
      const response = await this.runner.complete(req, admitted, completion);
      const body =
        response.format === chat.WireFormat.WIRE_FORMAT_CANONICAL
          ? JSON.stringify(openAiChatDialect.fromCanonical(JSON.parse(response.body.toString('utf8')) as CanonicalChatResponse, { model: request.model }))
          : response.body;
      reply.status(200).header('content-type', 'application/json').send(body);
      return;
    }
    await this.runner.stream(reply, admitted, completion, passthrough ? undefined : canonicalFraming(request.model, includeUsage));
  }
}

/** Canonical stream events rendered as OpenAI chunks. */
function canonicalFraming(model: string, includeUsage: boolean): StreamFraming {
  const renderer = openAiChatDialect.streamRenderer({ model, includeUsage });
  return {
    frames: (data) => renderer.render(JSON.parse(data.toString('utf8')) as CanonicalStreamEvent),
    end: () => renderer.end(),
    error: (error) => sseEvent(JSON.stringify(toOpenAiError(error))).toString(),
  };
}
