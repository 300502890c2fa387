import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ModelCatalog, toOpenAiModel } from '@apitopmix/catalog';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { extractApiKey } from '../auth/api-key-extractor';
import { AuthService } from '../auth/auth.service';
import { AdmissionService } from '../rate-limit/admission.service';
import { rateLimitHeaders } from '../rate-limit/rate-limit.client';

/** GET /v1/models and /v1/models/{id} in OpenAI's shape. Ids may contain slashes, encoded or not. */
@Controller()
export class ModelsController {
  private readonly list: Buffer;

  constructor(
    private readonly auth: AuthService,
    private readonly admission: AdmissionService,
    private readonly catalog: ModelCatalog,
  ) {
    this.list = Buffer.from(JSON.stringify(catalog.toOpenAiList()));
  }

  @Get('/v1/models')
  async list_(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.admit(req, reply);
    reply.header('content-type', 'application/json').send(this.list);
  }

  @Get('/v1/models/*')
  async get(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('*') id: string): Promise<void> {
    await this.admit(req, reply);
    const modelId = decodeURIComponent(id);
    const model = this.catalog.find(modelId);
    if (!model) throw new GatewayError(ErrorCode.ModelNotFound, `The model '${modelId}' does not exist.`, { param: 'model' });
    reply.header('content-type', 'application/json').send(JSON.stringify(toOpenAiModel(model)));
  }

  private async admit(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const caller = await this.auth.authenticate(extractApiKey(req));
    const admission = await this.admission.admit(caller, 0);
    reply.headers({ ...rateLimitHeaders(admission), 'x-request-id': req.id });
  }
}
