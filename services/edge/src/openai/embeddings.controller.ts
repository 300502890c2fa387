import { Controller, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { checkEmbeddingRequestForModel, estimateEmbeddingTokens, OpenAiEmbeddingRequest, parseOpenAiEmbeddingRequest } from '@apitopmix/dialects/openai-chat';
import { RequestAdmission, RequestReader } from '../admission/request-admission';
import { EmbeddingsClient } from '../embeddings/embeddings.client';

const reader: RequestReader<OpenAiEmbeddingRequest, 'embedding'> = {
  kind: 'embedding',
  parse: parseOpenAiEmbeddingRequest,
  model: (request) => request.model,
  estimateTokens: (request) => estimateEmbeddingTokens(request),
  check: checkEmbeddingRequestForModel,
};

/**
 * POST /v1/embeddings in OpenAI's format. Admitted like a chat request (rate limits on the input estimate, the
 * credit gate reserving its cost), then the body goes to the embeddings service as received, and its OpenAI-shaped
 * answer comes back as is.
 */
@Controller()
export class EmbeddingsController {
  constructor(
    private readonly admission: RequestAdmission,
    private readonly embeddings: EmbeddingsClient,
  ) {}

  @Post('/v1/embeddings')
  async create(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const admitted = await this.admission.admit(req, reply, reader);
    const response = await this.admission.call(admitted, () =>
      this.embeddings.embed({
        caller: this.admission.callerContext(req, admitted.caller),
        model: admitted.model.id,
        body: req.rawBody ?? Buffer.from(JSON.stringify(admitted.request)),
      }),
    );
    reply.status(200).header('content-type', 'application/json').send(response.body);
  }
}
