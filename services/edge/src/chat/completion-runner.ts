import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ChatModelEntry, ModelCatalog, tokenCostMicros } from '@apitopmix/catalog';
import { chat, common, TokenEstimate } from '@apitopmix/contracts';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { CONFIG } from '@apitopmix/platform/nest';
import { extractApiKey } from '../auth/api-key-extractor';
import { AuthService, Caller } from '../auth/auth.service';
import { EdgeConfig } from '../config/edge.config';
import { CreditGateService, Reservation } from '../credit/credit-gate.service';
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
  estimateTokens(request: R, model: ChatModelEntry): TokenEstimate;
}

export interface AdmittedCompletion<R> {
  caller: Caller;
  request: R;
  model: ChatModelEntry;
  estimatedTokens: number;
  /** Rate-limit and request-id headers, already set on the reply; streams send them with their first event. */
  headers: Record<string, string>;
  /** The credit held for this request (none for free models, or when billing was unreachable). */
  reservation?: Reservation;
}

/**
 * The steps every chat dialect shares at the edge: authenticate, validate, admit against the rate limits (every
 * authenticated request counts, valid or not) and, at the same time, reserve the request's most possible cost
 * against the balance (valid requests for a model the key may use); then call `chat` whole or streamed, and settle
 * both reservations with the real usage.
 */
@Injectable()
export class CompletionRunner {
  constructor(
    private readonly auth: AuthService,
    private readonly admission: AdmissionService,
    private readonly catalog: ModelCatalog,
    private readonly chat: ChatClient,
    private readonly credit: CreditGateService,
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
    const estimate = request && model ? reader.estimateTokens(request, model) : { inputTokens: 0, outputTokens: 0 };
    const estimatedTokens = estimate.inputTokens + estimate.outputTokens;
    const priced = model && this.auth.isModelAllowed(caller, model.id) ? model : undefined;
    // The two checks do not depend on each other: one round trip's time for both.
    const [admission, reservation] = await Promise.allSettled([
      this.admission.admit(caller, estimatedTokens),
      priced ? this.credit.authorize(caller, req.id, this.credit.maxCostMicros(priced, estimate)) : Promise.resolve(undefined),
    ]);
    if (admission.status === 'rejected') {
      if (reservation.status === 'fulfilled') this.credit.release(reservation.value);
      throw admission.reason;
    }
    const headers = { ...rateLimitHeaders(admission.value), 'x-request-id': req.id };
    reply.headers(headers);
    if (!request) throw invalid;
    if (!model) {
      throw new GatewayError(ErrorCode.ModelNotFound, `The model '${reader.model(request)}' does not exist or you do not have access to it.`, {
        param: 'model',
      });
    }
    this.auth.assertModelAllowed(caller, model.id);
    if (reservation.status === 'rejected') throw reservation.reason;
    return { caller, request, model, estimatedTokens, headers, reservation: reservation.value };
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
    let response: chat.CompletionResponse;
    try {
      response = await this.chat.complete(completion);
    } catch (error) {
      // No answer, no usage event: the credit held for it is free again.
      this.credit.release(admitted.reservation);
      throw error;
    }
    this.settle(admitted, response.usage);
    return response;
  }

  async stream(reply: FastifyReply, admitted: AdmittedCompletion<unknown>, completion: chat.CompletionRequest, framing?: StreamFraming): Promise<void> {
    this.metrics.streamsInFlight.inc();
    try {
      let outcome;
      try {
        outcome = await relayStream(reply, this.chat.stream(completion), admitted.headers, framing, this.config.SSE_KEEP_ALIVE_MS);
      } catch (error) {
        // It failed before its first event, so chat reported no usage.
        this.credit.release(admitted.reservation);
        throw error;
      }
      // A client that left early is settled by the usage event chat sends for what was generated.
      if (outcome.usage) this.settle(admitted, outcome.usage);
    } finally {
      this.metrics.streamsInFlight.dec();
    }
  }

  /** The real usage corrects the token reservation and sets the credit held to the real cost until billing settles it. */
  private settle(admitted: AdmittedCompletion<unknown>, usage: common.TokenUsage | undefined): void {
    const input = usage?.inputTokens ?? 0;
    const output = usage?.outputTokens ?? 0;
    this.admission.settle(admitted.caller, admitted.estimatedTokens, input + output);
    this.credit.settle(admitted.reservation, tokenCostMicros(admitted.model.price, input, output));
  }
}
