import { Controller, Post, Req, Res } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ModelCatalog, providers } from '@apitopmix/catalog';
import { CanonicalChatResponse, CanonicalStreamEvent, chat, common } from '@apitopmix/contracts';
import { estimateRequestTokens, openAiChatDialect, OpenAiChatRequest, parseOpenAiChatRequest, sseEvent, toOpenAiError } from '@apitopmix/dialects/openai-chat';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { extractApiKey } from '../auth/api-key-extractor';
import { AuthService, Caller } from '../auth/auth.service';
import { ChatClient } from '../chat/chat.client';
import { EdgeMetrics } from '../http/edge-metrics';
import { relayStream, StreamFraming } from '../http/sse-relay';
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

    // Same format upstream: the body passes through. Otherwise it travels in canonical form and comes back to be
    // rendered in OpenAI's shapes here.
    const passthrough = providers[model.provider].format === 'openai-chat';
    const includeUsage = request.stream_options?.include_usage === true;
    const completion: chat.CompletionRequest = {
      caller: { requestId: req.id, accountId: caller.accountId, apiKeyId: caller.apiKeyId, tier: tierByName[caller.tier] },
      model: model.id,
      format: passthrough ? chat.WireFormat.WIRE_FORMAT_OPENAI_CHAT : chat.WireFormat.WIRE_FORMAT_CANONICAL,
      body: passthrough ? (req.rawBody ?? Buffer.from(JSON.stringify(request))) : Buffer.from(JSON.stringify(openAiChatDialect.toCanonical(request))),
      callerWantsUsage: includeUsage,
    };

    if (!request.stream) {
      const response = await this.chat.complete(completion);
      const used = (response.usage?.inputTokens ?? 0) + (response.usage?.outputTokens ?? 0);
      this.admission.settle(caller, estimatedTokens, used);
      const body =
        response.format === chat.WireFormat.WIRE_FORMAT_CANONICAL
          ? JSON.stringify(openAiChatDialect.fromCanonical(JSON.parse(response.body.toString('utf8')) as CanonicalChatResponse, { model: request.model }))
          : response.body;
      reply.status(200).header('content-type', 'application/json').send(body);
      return;
    }

    this.metrics.streamsInFlight.inc();
    try {
      const framing = passthrough ? undefined : canonicalFraming(request.model, includeUsage);
      const outcome = await relayStream(reply, this.chat.stream(completion), headers, framing);
      const used = (outcome.usage?.inputTokens ?? 0) + (outcome.usage?.outputTokens ?? 0);
      if (outcome.usage) this.admission.settle(caller, estimatedTokens, used);
    } finally {
      this.metrics.streamsInFlight.dec();
    }
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

export const newRequestId = (): string => `req_${randomUUID().replace(/-/g, '')}`;
