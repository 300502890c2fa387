import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ChatModelEntry, ModelCatalog } from '@apitopmix/catalog';
import { chat, common } from '@apitopmix/contracts';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { CONFIG } from '@apitopmix/platform/nest';
import { extractApiKey } from '../auth/api-key-extractor';
import { AuthService, Caller } from '../auth/auth.service';
import { EdgeConfig } from '../config/edge.config';
import { EdgeMetrics } from '../http/edge-metrics';
import { relayStream, StreamFraming } from '../http/sse-relay';
import { AdmissionService } from '../rate-limit/admission.service';
import { rateLimitHeaders } from '../rate-limit/rate-limit.client';
import { ChatClient } from './chat.client';

const tierByName: Record<Caller['tier'], common.Tier> = {
  FREE: common.Tier.TIER_FREE,
  STANDARD: common.Tier.TIER_STANDARD,
  PRO: common.Tier.TIER_PRO,
  ENTERPRISE: common.Tier.TIER_ENTERPRISE,
};

/** How one dialect reads its request: validation, the model it names, and its token estimate for admission. */
export interface DialectRequestReader<R> {
  parse(body: unknown): R;
  model(request: R): string;
  estimateTokens(request: R, model: ChatModelEntry): number;
}

export interface AdmittedCompletion<R> {
  caller: Caller;
  request: R;
  model: ChatModelEntry;
  estimatedTokens: number;
  /** Rate-limit and request-id headers, already set on the reply; streams send them with their first event. */
  headers: Record<string, string>;
}

/**
 * The steps every chat dialect shares at the edge: authenticate, validate, admit (every authenticated request
 * counts, valid or not), check the key may use the model, then call `chat` whole or streamed and settle the
 * token reservation with the real usage.
 */
@Injectable()
export class CompletionRunner {
  constructor(
    private readonly auth: AuthService,
    private readonly admission: AdmissionService,
    private readonly catalog: ModelCatalog,
    private readonly chat: ChatClient,
    private readonly metrics: EdgeMetrics,
    @Inject(CONFIG) private readonly config: EdgeConfig,
  ) {}

  async admit<R>(req: FastifyRequest, reply: FastifyReply, reader: DialectRequestReader<R>): Promise<AdmittedCompletion<R>> {
    const caller = await this.auth.authenticate(extractApiKey(req));
    let request: R | undefined;
    let invalid: unknown;
    try {
      request = reader.parse(req.body);
    } catch (error) {
      invalid = error;
    }
    const model = request ? this.catalog.findOfKind(reader.model(request), 'chat') : undefined;
    const estimatedTokens = request && model ? reader.estimateTokens(request, model) : 0;
    const admission = await this.admission.admit(caller, estimatedTokens);
    const headers = { ...rateLimitHeaders(admission), 'x-request-id': req.id };
    reply.headers(headers);
    if (!request) throw invalid;
    if (!model) {
      throw new GatewayError(ErrorCode.ModelNotFound, `The model '${reader.model(request)}' does not exist or you do not have access to it.`, {
        param: 'model',
      });
    }
    this.auth.assertModelAllowed(caller, model.id);
    return { caller, request, model, estimatedTokens, headers };
  }

  completionRequest(
    req: FastifyRequest,
    admitted: AdmittedCompletion<unknown>,
    format: chat.WireFormat,
    body: Buffer,
    callerWantsUsage: boolean,
  ): chat.CompletionRequest {
    const { caller, model } = admitted;
    return {
      caller: { requestId: req.id, accountId: caller.accountId, apiKeyId: caller.apiKeyId, tier: tierByName[caller.tier] },
      model: model.id,
      format,
      body,
      callerWantsUsage,
    };
  }

  async complete(admitted: AdmittedCompletion<unknown>, completion: chat.CompletionRequest): Promise<chat.CompletionResponse> {
    const response = await this.chat.complete(completion);
    this.admission.settle(admitted.caller, admitted.estimatedTokens, (response.usage?.inputTokens ?? 0) + (response.usage?.outputTokens ?? 0));
    return response;
  }

  async stream(reply: FastifyReply, admitted: AdmittedCompletion<unknown>, completion: chat.CompletionRequest, framing?: StreamFraming): Promise<void> {
    this.metrics.streamsInFlight.inc();
    try {
      const outcome = await relayStream(reply, this.chat.stream(completion), admitted.headers, framing, this.config.SSE_KEEP_ALIVE_MS);
      if (outcome.usage) this.admission.settle(admitted.caller, admitted.estimatedTokens, outcome.usage.inputTokens + outcome.usage.outputTokens);
    } finally {
      this.metrics.streamsInFlight.dec();
    }
  }
}
