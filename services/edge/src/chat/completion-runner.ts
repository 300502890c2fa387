import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ChatModelEntry } from '@apitopmix/catalog';
import { chat } from '@apitopmix/contracts';
import { CONFIG } from '@apitopmix/platform/nest';
import { Admitted, RequestAdmission, RequestReader } from '../admission/request-admission';
import { EdgeConfig } from '../config/edge.config';
import { EdgeShutdown } from '../health/edge-shutdown';
import { EdgeMetrics } from '../http/edge-metrics';
import { recordGenAiResponse } from '../http/request-telemetry';
import { relayStream, StreamFraming } from '../http/sse-relay';
import { ChatClient } from './chat.client';

/** How one chat dialect reads its request: validation, the model it names, and its token estimate for admission. */
export type DialectRequestReader<R> = Omit<RequestReader<R, 'chat'>, 'kind'>;

export type AdmittedCompletion<R> = Admitted<R, ChatModelEntry>;

/**
 * The steps every chat dialect shares at the edge: admission (RequestAdmission: authenticate, validate, rate limits
 * and the credit reservation), then a call to `chat`, whole or streamed, settled with the real usage.
 */
@Injectable()
export class CompletionRunner {
  constructor(
    private readonly admission: RequestAdmission,
    private readonly chat: ChatClient,
    private readonly metrics: EdgeMetrics,
    private readonly shutdown: EdgeShutdown,
    @Inject(CONFIG) private readonly config: EdgeConfig,
  ) {}

  admit<R>(req: FastifyRequest, reply: FastifyReply, reader: DialectRequestReader<R>): Promise<AdmittedCompletion<R>> {
    return this.admission.admit(req, reply, { kind: 'chat', ...reader });
  }

  completionRequest(
    req: FastifyRequest,
    admitted: AdmittedCompletion<unknown>,
    format: chat.WireFormat,
    body: Buffer,
    callerWantsUsage: boolean,
  ): chat.CompletionRequest {
    return { caller: this.admission.callerContext(req, admitted.caller), model: admitted.model.id, format, body, callerWantsUsage };
  }

  async complete(req: FastifyRequest, admitted: AdmittedCompletion<unknown>, completion: chat.CompletionRequest): Promise<chat.CompletionResponse> {
    const response = await this.admission.call(admitted, () => this.chat.complete(completion));
    recordGenAiResponse(req, response.upstream, response.usage);
    return response;
  }

  /**
   * Relays a stream until its end, the client leaving, or the shutdown's grace period ending (the stream is then cut
   * with an error event; chat bills what was generated).
   */
  async stream(reply: FastifyReply, admitted: AdmittedCompletion<unknown>, completion: chat.CompletionRequest, framing?: StreamFraming): Promise<void> {
    this.metrics.streamsInFlight.inc();
    const open = this.shutdown.openStream();
    try {
      let outcome;
      try {
        outcome = await relayStream(reply, this.chat.stream(completion), admitted.headers, framing, this.config.SSE_KEEP_ALIVE_MS, open.signal);
      } catch (error) {
        // It failed before its first event, so chat reported no usage.
        this.admission.release(admitted);
        throw error;
      }
      if (outcome.firstEventSeconds !== undefined) this.metrics.timeToFirstToken.observe({ model: admitted.model.id }, outcome.firstEventSeconds);
      if (outcome.cut) this.metrics.streamsCut.inc();
      // A client that left early, or a stream cut by the shutdown, is settled by the usage event chat sends for
      // what was generated.
      if (outcome.usage) this.admission.settle(admitted, outcome.usage);
    } finally {
      open.close();
      this.metrics.streamsInFlight.dec();
    }
  }
}
