import { Controller, Post, Req, Res } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ModelCatalog } from '@apitopmix/catalog';
import { chat, common } from '@apitopmix/contracts';
import { estimateRequestTokens, OpenAiChatRequest, parseOpenAiChatRequest } from '@apitopmix/dialects/openai-chat';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { extractApiKey } from '../auth/api-key-extractor';
import { AuthService, Caller } from '../auth/auth.service';
import { ChatClient } from '../chat/chat.client';
import { EdgeMetrics } from '../http/edge-metrics';
import { relayStream } from '../http/sse-relay';
import { AdmissionService } from '../rate-limit/admission.service';
import { rateLimitHeaders } from '../rate-limit/rate-limit.client';

const tierByName: Record<Caller['tier'], common.Tier> = {
  FREE: common.Tier.TIER_FREE,
  STANDARD: common.Tier.TIER_STANDARD,
  PRO: common.Tier.TIER_PRO,
  ENTERPRISE: common.Tier.TIER_ENTERPRISE,
};

/** POST /v1/chat/completions in OpenAI's format: authenticate, validate, admit, then hand to `chat`. */
@Controller()
export class ChatCompletionsController {
  constructor(
    private readonly auth: AuthService,
    private readonly admission: AdmissionService,
    private readonly catalog: ModelCatalog,
    private readonly chat: ChatClient,
    private readonly metrics: EdgeMetrics,
  ) {}

  @Post('/v1/chat/completions')
  async create(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const caller = await this.auth.authenticate(extractApiKey(req));
    let request: OpenAiChatRequest | undefined;
    let invalid: unknown;
    try {
      request = parseOpenAiChatRequest(req.body);
    } catch (error) {
      invalid = error;
    }
    const model = request ? this.catalog.findOfKind(request.model, 'chat') : undefined;
    const estimatedTokens = request && model ? estimateRequestTokens(request, model.maxOutputTokens) : 0;
    // Every authenticated request counts toward the request limit, valid or not.
    const admission = await this.admission.admit(caller, estimatedTokens);
    const headers = { ...rateLimitHeaders(admission), 'x-request-id': req.id };
    reply.headers(headers);
    if (!request) throw invalid;
    if (!model)
      throw new GatewayError(ErrorCode.ModelNotFound, `The model '${request.model}' does not exist or you do not have access to it.`, { param: 'model' });
    this.auth.assertModelAllowed(caller, model.id);

    const completion: chat.CompletionRequest = {
      caller: { requestId: req.id, accountId: caller.accountId, apiKeyId: caller.apiKeyId, tier: tierByName[caller.tier] },
      model: model.id,
      format: chat.WireFormat.WIRE_FORMAT_OPENAI_CHAT,
      body: req.rawBody ?? Buffer.from(JSON.stringify(request)),
      callerWantsUsage: request.stream_options?.include_usage === true,
    };

    if (!request.stream) {
      const response = await this.chat.complete(completion);
      const used = (response.usage?.inputTokens ?? 0) + (response.usage?.outputTokens ?? 0);
      this.admission.settle(caller, estimatedTokens, used);
      reply.status(200).header('content-type', 'application/json').send(response.body);
      return;
    }

    this.metrics.streamsInFlight.inc();
    try {
      const outcome = await relayStream(reply, this.chat.stream(completion), headers);
      const used = (outcome.usage?.inputTokens ?? 0) + (outcome.usage?.outputTokens ?? 0);
      if (outcome.usage) this.admission.settle(caller, estimatedTokens, used);
    } finally {
      this.metrics.streamsInFlight.dec();
    }
  }
}

export const newRequestId = (): string => `req_${randomUUID().replace(/-/g, '')}`;
