import { Inject, Injectable } from '@nestjs/common';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Observable, Subscriber } from 'rxjs';
import type { Logger } from 'pino';
import { ModelCatalog, ModelEntry, providers } from '@apitopmix/catalog';
import { chat, common } from '@apitopmix/contracts';
import { ErrorCode, GatewayError, isGatewayError } from '@apitopmix/platform/errors';
import { LOGGER } from '@apitopmix/platform/nest';
import { UpstreamEndpoint, UpstreamUsage } from '@apitopmix/providers/core';
import { OpenAiCompatibleChat } from '@apitopmix/providers/openai-compatible';
import { UpstreamRegistry } from '../upstreams/upstream-registry';
import { estimateTokens, promptText } from '../usage/token-estimate';
import { UsagePublisher } from '../usage/usage-publisher';
import { ChatMetrics } from './chat-metrics';
import { openAiPassthroughBody, OpenAiStreamTap } from './openai-passthrough';

/** What the controller hands over of a gRPC call: enough to notice cancellation and honour backpressure. */
export type CallHandle = Pick<Writable, 'writableNeedDrain'> & NodeJS.EventEmitter;

interface Route {
  model: ModelEntry;
  endpoint: UpstreamEndpoint;
  caller: common.CallerContext;
}

@Injectable()
export class CompletionService {
  constructor(
    private readonly catalog: ModelCatalog,
    private readonly upstreams: UpstreamRegistry,
    private readonly openAiChat: OpenAiCompatibleChat,
    private readonly usage: UsagePublisher,
    private readonly metrics: ChatMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async complete(request: chat.CompletionRequest, call: CallHandle): Promise<chat.CompletionResponse> {
    const route = this.route(request);
    const { json, parsed } = openAiPassthroughBody(request.body, route.model.upstreamModel, false);
    const abort = new AbortController();
    const onCancel = () => abort.abort();
    call.once('cancelled', onCancel);
    const timer = this.metrics.upstreamDuration.startTimer({ provider: route.endpoint.provider, streamed: 'false' });
    try {
      const result = await this.openAiChat.complete(route.endpoint, json, abort.signal);
      const usage = result.usage ?? { inputTokens: estimateTokens(promptText(parsed)), outputTokens: 0 };
      this.record(route, usage, !result.usage, 'completed', false, result.model);
      return {
        format: chat.WireFormat.WIRE_FORMAT_OPENAI_CHAT,
        body: result.body,
        usage: { ...usage, estimated: !result.usage },
        upstream: { provider: route.endpoint.provider, model: result.model ?? route.model.upstreamModel },
      };
    } catch (error) {
      if (abort.signal.aborted) {
        // The upstream may have done the work; bill the prompt we know it read.
        this.record(route, { inputTokens: estimateTokens(promptText(parsed)), outputTokens: 0 }, true, 'cancelled', false);
      } else {
        this.metrics.upstreamRequests.inc({ provider: route.endpoint.provider, outcome: outcomeLabel(error), streamed: 'false' });
      }
      throw error;
    } finally {
      timer();
      call.off('cancelled', onCancel);
    }
  }

  /**
   * Streams upstream events to the caller as they arrive. Backpressure holds end to end: while the gRPC call
   * cannot take more, the upstream body is not read. Unsubscribing (the caller went away) aborts the upstream
   * and still reports the tokens generated so far.
   */
  stream(request: chat.CompletionRequest, call: CallHandle): Observable<chat.CompletionEvent> {
    return new Observable<chat.CompletionEvent>((subscriber) => {
      const abort = new AbortController();
      void this.pump(request, call, subscriber, abort.signal);
      return () => abort.abort();
    });
  }

  private async pump(request: chat.CompletionRequest, call: CallHandle, subscriber: Subscriber<chat.CompletionEvent>, signal: AbortSignal): Promise<void> {
    let route: Route;
    let json: string;
    let parsed: Record<string, unknown>;
    try {
      route = this.route(request);
      ({ json, parsed } = openAiPassthroughBody(request.body, route.model.upstreamModel, true));
    } catch (error) {
      subscriber.error(error);
      return;
    }
    const tap = new OpenAiStreamTap(request.callerWantsUsage);
    const provider = route.endpoint.provider;
    const started = process.hrtime.bigint();
    const timer = this.metrics.upstreamDuration.startTimer({ provider, streamed: 'true' });
    const usageSoFar = (): UpstreamUsage => tap.usage ?? { inputTokens: estimateTokens(promptText(parsed)), outputTokens: tap.contentChunks };
    try {
      for await (const data of this.openAiChat.stream(route.endpoint, json, signal)) {
        if (tap.events === 0) this.metrics.timeToFirstToken.observe({ provider, model: route.model.id }, Number(process.hrtime.bigint() - started) / 1e9);
        const forwarded = tap.process(data);
        if (forwarded === undefined) continue;
        subscriber.next({ data: Buffer.from(forwarded) });
        if (call.writableNeedDrain) await once(call, 'drain', { signal });
      }
      const usage = usageSoFar();
      this.record(route, usage, !tap.usage, 'completed', true);
      subscriber.next({ end: { usage: { ...usage, estimated: !tap.usage }, upstream: { provider, model: route.model.upstreamModel } } });
      subscriber.complete();
    } catch (error) {
      if (signal.aborted) {
        this.record(route, usageSoFar(), !tap.usage, 'cancelled', true);
        return;
      }
      if (tap.events === 0) {
        // Nothing was sent yet: the caller gets a plain error status, as the upstream's API would answer.
        this.metrics.upstreamRequests.inc({ provider, outcome: outcomeLabel(error), streamed: 'true' });
        subscriber.error(error);
        return;
      }
      const usage = usageSoFar();
      this.record(route, usage, !tap.usage, 'failed', true);
      const failure = isGatewayError(error) ? error : new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${provider}) failed mid-stream.`);
      if (!isGatewayError(error)) this.logger.warn({ err: error, provider }, 'upstream failed mid-stream');
      subscriber.next({ error: { code: failure.code, message: failure.message, usage: { ...usage, estimated: !tap.usage } } });
      subscriber.complete();
    } finally {
      timer();
    }
  }

  private route(request: chat.CompletionRequest): Route {
    if (!request.caller?.accountId) throw GatewayError.invalid('caller is required');
    const model = this.catalog.find(request.model);
    if (!model)
      throw new GatewayError(ErrorCode.ModelNotFound, `The model '${request.model}' does not exist or you do not have access to it.`, { param: 'model' });
    const upstreamFormat = providers[model.provider].format;
    if (request.format !== chat.WireFormat.WIRE_FORMAT_OPENAI_CHAT || upstreamFormat !== 'openai-chat') {
      throw GatewayError.invalid(`No translation from ${chat.wireFormatToJSON(request.format)} to the ${upstreamFormat} format of '${model.id}'.`);
    }
    return { model, endpoint: this.upstreams.endpointFor(model), caller: request.caller };
  }

  private record(
    route: Route,
    usage: UpstreamUsage,
    estimated: boolean,
    outcome: 'completed' | 'cancelled' | 'failed',
    streamed: boolean,
    upstreamModel?: string,
  ): void {
    const provider = route.endpoint.provider;
    this.metrics.upstreamRequests.inc({ provider, outcome, streamed: String(streamed) });
    this.metrics.tokens.inc({ model: route.model.id, direction: 'input' }, usage.inputTokens);
    this.metrics.tokens.inc({ model: route.model.id, direction: 'output' }, usage.outputTokens);
    this.usage.publish({
      caller: route.caller,
      model: route.model.id,
      provider,
      upstreamModel: upstreamModel ?? route.model.upstreamModel,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      tokensEstimated: estimated,
      outcome,
      streamed,
    });
  }
}

function outcomeLabel(error: unknown): string {
  return isGatewayError(error) ? error.code : 'error';
}
