import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ModelCatalog, ModelOfKind, tokenCostMicros } from '@apitopmix/catalog';
import { common, TokenEstimate } from '@apitopmix/contracts';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { extractApiKey } from '../auth/api-key-extractor';
import { AuthService, Caller } from '../auth/auth.service';
import { CreditGateService, Reservation } from '../credit/credit-gate.service';
import { recordCaller, recordGenAiRequest } from '../http/request-telemetry';
import { AdmissionService } from '../rate-limit/admission.service';
import { rateLimitHeaders } from '../rate-limit/rate-limit.client';

/** The kinds of model priced per token, whose requests are admitted on a token estimate. */
export type TokenPricedKind = 'chat' | 'embedding';

const tierByName: Record<Caller['tier'], common.Tier> = {
  FREE: common.Tier.TIER_FREE,
  STANDARD: common.Tier.TIER_STANDARD,
  PRO: common.Tier.TIER_PRO,
  ENTERPRISE: common.Tier.TIER_ENTERPRISE,
};

/** How an endpoint reads its request: validation, the model it names (of which kind), and its token estimate. */
export interface RequestReader<R, K extends TokenPricedKind> {
  kind: K;
  parse(body: unknown): R;
  model(request: R): string;
  /** The most tokens the request may use: rate-limit admission takes the sum, the credit gate prices each. */
  estimateTokens(request: R, model: ModelOfKind<K>): TokenEstimate;
  /** What depends on the model (a parameter it does not support): a 400, checked before anything is reserved. */
  check?(request: R, model: ModelOfKind<K>): void;
}

export interface Admitted<R, M extends ModelOfKind<TokenPricedKind> = ModelOfKind<TokenPricedKind>> {
  caller: Caller;
  request: R;
  model: M;
  estimatedTokens: number;
  /** Rate-limit and request-id headers, already set on the reply; streams send them with their first event. */
  headers: Record<string, string>;
  /** The credit held for this request (none for free models, or when billing was unreachable). */
  reservation?: Reservation;
}

/**
 * The steps every token-priced endpoint shares at the edge (chat in each dialect, embeddings): authenticate,
 * validate, admit against the rate limits (every authenticated request counts, valid or not) and, at the same time,
 * reserve the request's most possible cost against the balance (valid requests for a model the key may use); once
 * the service answered, settle both with the real usage, or release the credit when nothing was used.
 */
@Injectable()
export class RequestAdmission {
  constructor(
    private readonly auth: AuthService,
    private readonly rateLimits: AdmissionService,
    private readonly catalog: ModelCatalog,
    private readonly credit: CreditGateService,
  ) {}

  async admit<R, K extends TokenPricedKind>(req: FastifyRequest, reply: FastifyReply, reader: RequestReader<R, K>): Promise<Admitted<R, ModelOfKind<K>>> {
    const caller = await this.auth.authenticate(extractApiKey(req));
    recordCaller(req, caller);
    let request: R | undefined;
    let invalid: unknown;
    try {
      request = reader.parse(req.body);
    } catch (error) {
      invalid = error;
    }
    const model = request ? this.catalog.findOfKind(reader.model(request), reader.kind) : undefined;
    if (request) recordGenAiRequest(req, reader.kind === 'chat' ? 'chat' : 'embeddings', reader.model(request));
    let unsupported: unknown;
    if (request && model && reader.check) {
      try {
        reader.check(request, model);
      } catch (error) {
        unsupported = error;
      }
    }
    const estimate = request && model ? reader.estimateTokens(request, model) : { inputTokens: 0, outputTokens: 0 };
    const estimatedTokens = estimate.inputTokens + estimate.outputTokens;
    const priced = model && !unsupported && this.auth.isModelAllowed(caller, model.id) ? model : undefined;
    // The two checks do not depend on each other: one round trip's time for both.
    const [admission, reservation] = await Promise.allSettled([
      this.rateLimits.admit(caller, estimatedTokens),
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
    if (unsupported) throw unsupported;
    if (reservation.status === 'rejected') throw reservation.reason;
    return { caller, request, model, estimatedTokens, headers, reservation: reservation.value };
  }

  /** Who is calling, as every internal service is told. */
  callerContext(req: FastifyRequest, caller: Caller): common.CallerContext {
    recordCaller(req, caller);
    return { requestId: req.id, accountId: caller.accountId, apiKeyId: caller.apiKeyId, tier: tierByName[caller.tier] };
  }

  /** Calls the service once: its usage settles the request; a failure (no answer, no usage event) releases the credit. */
  async call<T extends { usage?: common.TokenUsage }>(admitted: Admitted<unknown>, run: () => Promise<T>): Promise<T> {
    let response: T;
    try {
      response = await run();
    } catch (error) {
      this.release(admitted);
      throw error;
    }
    this.settle(admitted, response.usage);
    return response;
  }

  /** The real usage corrects the token reservation and sets the credit held to the real cost until billing settles it. */
  settle(admitted: Admitted<unknown>, usage: common.TokenUsage | undefined): void {
    const input = usage?.inputTokens ?? 0;
    const output = usage?.outputTokens ?? 0;
    this.rateLimits.settle(admitted.caller, admitted.estimatedTokens, input + output);
    this.credit.settle(admitted.reservation, tokenCostMicros(admitted.model.price, input, output));
  }

  /** Nothing was used (the call failed before any upstream answered): the credit held is free again. */
  release(admitted: Admitted<unknown>): void {
    this.credit.release(admitted.reservation);
  }
}
