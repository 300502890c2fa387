import { Inject, Injectable } from '@nestjs/common';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Observable, Subscriber } from 'rxjs';
import type { Logger } from 'pino';
import { ChatModelEntry, ModelCatalog, providers, WireFormatId } from '@apitopmix/catalog';
import { CanonicalChatRequest, CanonicalStreamEvent, CanonicalUsage, chat, common } from '@apitopmix/contracts';
import { ErrorCode, GatewayError, isGatewayError } from '@apitopmix/platform/errors';
import { LOGGER } from '@apitopmix/platform/nest';
import { captureMessageContent } from '@apitopmix/platform/telemetry';
import { estimateTokens, UsagePublisher } from '@apitopmix/platform/usage';
import { UpstreamUsage } from '@apitopmix/providers/core';
import { Deployment, DeploymentRouter } from '@apitopmix/providers/routing';
import { PASSTHROUGH_UPSTREAMS, PassthroughUpstream } from '../passthrough/passthrough-upstreams';
import { CHAT_UPSTREAMS, ChatUpstream } from '../upstreams/chat-upstreams';
import { ChatMetrics } from './chat-metrics';
import { CompletionTrace } from './completion-trace';
import { GenAiMessage, inputMessages, outputMessages, StreamedText } from './gen-ai-content';

/** What the controller hands over of a gRPC call: enough to notice cancellation and honour backpressure. */
export type CallHandle = Pick<Writable, 'writableNeedDrain'> & NodeJS.EventEmitter;

/** The wire format a pass-through request is in, by the catalog's name for it. */
const passthroughFormats: Partial<Record<chat.WireFormat, WireFormatId>> = {
  [chat.WireFormat.WIRE_FORMAT_OPENAI_CHAT]: 'openai-chat',
  [chat.WireFormat.WIRE_FORMAT_ANTHROPIC_MESSAGES]: 'anthropic-messages',
  [chat.WireFormat.WIRE_FORMAT_GEMINI]: 'gemini',
};

interface Route {
  model: ChatModelEntry;
  caller: common.CallerContext;
  /** Set when the request comes in canonical form: the upstream format it is translated for. */
  upstream?: ChatUpstream;
  /** Set when the request is in the upstream's own format: it passes through. */
  passthrough?: PassthroughUpstream;
  /** The completion's GenAI span. */
  trace: CompletionTrace;
}

type Outcome = 'completed' | 'cancelled' | 'failed';

/** The abort reason of a stream cut because the service is stopping (rather than because its caller left). */
const CUT = Symbol('cut by shutdown');

function restarting(): GatewayError {
  return new GatewayError(ErrorCode.ServiceUnavailable, 'The gateway is restarting and could not finish this request. Please retry.', {
    retryAfterSeconds: 1,
  });
}

@Injectable()
export class CompletionService {
  /** Calls and streams being served: a stopping process waits for them to record their usage before its producer flushes. */
  private readonly running = new Set<Promise<unknown>>();
  /** Streams being served, to cut when the shutdown's grace period ends. */
  private readonly streams = new Set<AbortController>();

  constructor(
    private readonly catalog: ModelCatalog,
    private readonly router: DeploymentRouter,
    @Inject(CHAT_UPSTREAMS) private readonly upstreams: Partial<Record<WireFormatId, ChatUpstream>>,
    @Inject(PASSTHROUGH_UPSTREAMS) private readonly passthroughs: Partial<Record<WireFormatId, PassthroughUpstream>>,
    private readonly usage: UsagePublisher,
    private readonly metrics: ChatMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  complete(request: chat.CompletionRequest, call: CallHandle): Promise<chat.CompletionResponse> {
    return this.track(this.completeOnce(request, call));
  }

  /**
   * Resolves once every call and stream in flight has ended and published its usage, or after `timeoutMs`. The
   * server has stopped (and, past its grace period, cancelled) them before this is asked.
   */
  async settled(timeoutMs: number): Promise<void> {
    if (this.running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = () => this.running.delete(work);
    work.then(forget, forget);
    return work;
  }

  private async completeOnce(request: chat.CompletionRequest, call: CallHandle): Promise<chat.CompletionResponse> {
    const route = this.route(request, false);
    if (route.upstream) return this.completeCanonical(route, route.upstream, request, call);
    const passthrough = route.passthrough as PassthroughUpstream;
    const { json, promptText } = route.trace.failing(() => passthrough.body(request.body, route.model, false));
    route.trace.input(() => inputMessages(request.format, json));
    const abort = new AbortController();
    const onCancel = () => abort.abort();
    call.once('cancelled', onCancel);
    let reached: Deployment | undefined;
    try {
      const { result, deployment } = await this.router.run(
        route.model,
        (candidate) => {
          reached = candidate;
          return route.trace.attempt(candidate, () =>
            this.attempt(candidate, false, () => passthrough.complete(candidate.endpoint, route.model, json, abort.signal)),
          );
        },
        abort.signal,
      );
      const usage = result.usage ?? { inputTokens: estimateTokens(promptText()), outputTokens: 0 };
      this.record(route, deployment, usage, !result.usage, 'completed', false, result.model, () => outputMessages(request.format, result.body));
      return {
        format: request.format,
        body: result.body,
        usage: { ...usage, estimated: !result.usage },
        upstream: { provider: deployment.endpoint.provider, model: result.model ?? route.model.upstreamModel },
      };
    } catch (error) {
      // A cancelled call may already have reached an upstream: bill the prompt we know it read.
      if (abort.signal.aborted && reached) {
        this.record(route, reached, { inputTokens: estimateTokens(promptText()), outputTokens: 0 }, true, 'cancelled', false);
      }
      route.trace.fail(error);
      throw error;
    } finally {
      call.off('cancelled', onCancel);
    }
  }

  /**
   * Streams upstream events to the caller as they arrive. Retries and fallback happen only until the upstream's
   * first event; after that a failure ends the stream with an error event. Backpressure holds end to end: while
   * the gRPC call cannot take more, the upstream body is not read. Unsubscribing (the caller went away) aborts the
   * upstream and still reports the tokens generated so far.
   */
  stream(request: chat.CompletionRequest, call: CallHandle): Observable<chat.CompletionEvent> {
    return new Observable<chat.CompletionEvent>((subscriber) => {
      const abort = new AbortController();
      this.streams.add(abort);
      void this.track(this.pump(request, call, subscriber, abort.signal)).finally(() => this.streams.delete(abort));
      return () => abort.abort();
    });
  }

  /**
   * The shutdown's grace period is over: every stream still running stops reading its upstream, publishes the usage
   * of what was generated, and ends with an error event that carries it (or a plain error if nothing was sent yet),
   * so its call completes normally rather than being reset.
   */
  cutStreams(): number {
    const cut = this.streams.size;
    for (const stream of this.streams) stream.abort(CUT);
    return cut;
  }

  private async pump(request: chat.CompletionRequest, call: CallHandle, subscriber: Subscriber<chat.CompletionEvent>, signal: AbortSignal): Promise<void> {
    let route: Route;
    let passthrough: PassthroughUpstream;
    let json: string;
    let promptText: () => string;
    let trace: CompletionTrace | undefined;
    try {
      route = this.route(request, true);
      trace = route.trace;
      if (route.upstream) return await this.pumpCanonical(route, route.upstream, request, call, subscriber, signal);
      passthrough = route.passthrough as PassthroughUpstream;
      ({ json, promptText } = passthrough.body(request.body, route.model, true));
      route.trace.input(() => inputMessages(request.format, json));
    } catch (error) {
      trace?.fail(error);
      subscriber.error(error);
      return;
    }
    let tap = passthrough.tap('', request.callerWantsUsage);
    // Until the upstream's final count, what it generated is estimated; its own input count is kept when it sent one.
    const usageSoFar = (): UpstreamUsage => {
      const reported = tap.usage;
      if (reported && tap.usageFinal) return reported;
      return { inputTokens: reported?.inputTokens ?? estimateTokens(promptText()), outputTokens: Math.max(reported?.outputTokens ?? 0, tap.contentChunks) };
    };
    let deployment: Deployment | undefined;
    const text = captureMessageContent ? new StreamedText(request.format) : undefined;
    const started = process.hrtime.bigint();
    this.metrics.streamsInFlight.inc();
    try {
      // An attempt succeeds once the upstream's first event is in hand; until then the router may try elsewhere.
      const opened = await this.router.run(
        route.model,
        (candidate) =>
          route.trace.attempt(candidate, async () => {
            deployment = candidate;
            tap = passthrough.tap(candidate.endpoint.provider, request.callerWantsUsage);
            const events = passthrough.stream(candidate.endpoint, route.model, json, signal)[Symbol.asyncIterator]();
            return { events, first: await events.next() };
          }),
        signal,
      );
      deployment = opened.deployment;
      this.firstToken(route, deployment, started);
      for (let next = opened.result.first; !next.done; next = await opened.result.events.next()) {
        const { event, data } = next.value;
        text?.add(data);
        const forwarded = tap.process(data, event);
        if (forwarded === undefined) continue;
        subscriber.next(event === undefined ? { data: Buffer.from(forwarded) } : { data: Buffer.from(forwarded), eventName: event });
        if (call.writableNeedDrain) await once(call, 'drain', { signal });
      }
      tap.end();
      const usage = usageSoFar();
      this.record(route, deployment, usage, !tap.usageFinal, 'completed', true, undefined, text && (() => text.messages()));
      subscriber.next({
        end: { usage: { ...usage, estimated: !tap.usageFinal }, upstream: { provider: deployment.endpoint.provider, model: route.model.upstreamModel } },
      });
      subscriber.complete();
    } catch (error) {
      if (signal.aborted) {
        const usage = deployment ? usageSoFar() : undefined;
        if (deployment) this.record(route, deployment, usage!, !tap.usageFinal, 'cancelled', true, undefined, text && (() => text.messages()));
        else route.trace.fail(error);
        if (signal.reason === CUT) this.endCut(subscriber, tap.events > 0 && usage ? { ...usage, estimated: !tap.usageFinal } : undefined);
        return;
      }
      if (tap.events === 0 || !deployment) {
        // Nothing was sent yet: the caller gets a plain error status, as the upstream's API would answer.
        route.trace.fail(error);
        subscriber.error(error);
        return;
      }
      const usage = usageSoFar();
      this.record(route, deployment, usage, !tap.usageFinal, 'failed', true, undefined, text && (() => text.messages()));
      this.metrics.upstreamErrors.inc({ provider: deployment.endpoint.provider, code: isGatewayError(error) ? error.code : 'mid_stream' });
      const provider = deployment.endpoint.provider;
      const failure = isGatewayError(error) ? error : new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${provider}) failed mid-stream.`);
      if (!isGatewayError(error)) this.logger.warn({ err: error, provider, deployment: deployment.name }, 'upstream failed mid-stream');
      subscriber.next({ error: { code: failure.code, message: failure.message, usage: { ...usage, estimated: !tap.usageFinal } } });
      subscriber.complete();
    } finally {
      this.metrics.streamsInFlight.dec();
    }
  }

  /** A canonical request translated for the upstream's format; the answer goes back in canonical form. */
  private async completeCanonical(route: Route, upstream: ChatUpstream, request: chat.CompletionRequest, call: CallHandle): Promise<chat.CompletionResponse> {
    const canonical = route.trace.failing(() => parseCanonical(request.body));
    route.trace.input(() => inputMessages(request.format, canonical));
    const body = route.trace.failing(() => upstream.toUpstreamBody(canonical, route.model));
    const abort = new AbortController();
    const onCancel = () => abort.abort();
    call.once('cancelled', onCancel);
    let reached: Deployment | undefined;
    try {
      const { result, deployment } = await this.router.run(
        route.model,
        (candidate) => {
          reached = candidate;
          return route.trace.attempt(candidate, () =>
            this.attempt(candidate, false, () => upstream.complete(candidate.endpoint, route.model, body, abort.signal)),
          );
        },
        abort.signal,
      );
      const usage = result.usage;
      this.record(route, deployment, usage, usage.estimated === true, 'completed', false, result.model, () => outputMessages(request.format, result));
      return {
        format: chat.WireFormat.WIRE_FORMAT_CANONICAL,
        body: Buffer.from(JSON.stringify(result)),
        usage: { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, estimated: usage.estimated === true },
        upstream: { provider: deployment.endpoint.provider, model: result.model || route.model.upstreamModel },
      };
    } catch (error) {
      if (abort.signal.aborted && reached)
        this.record(route, reached, { inputTokens: estimateTokens(canonicalText(canonical)), outputTokens: 0 }, true, 'cancelled', false);
      route.trace.fail(error);
      throw error;
    } finally {
      call.off('cancelled', onCancel);
    }
  }

  /** Streams a canonical request: each upstream event is parsed into canonical events, forwarded one by one. */
  private async pumpCanonical(
    route: Route,
    upstream: ChatUpstream,
    request: chat.CompletionRequest,
    call: CallHandle,
    subscriber: Subscriber<chat.CompletionEvent>,
    signal: AbortSignal,
  ): Promise<void> {
    const canonical = route.trace.failing(() => parseCanonical(request.body));
    route.trace.input(() => inputMessages(request.format, canonical));
    const body = route.trace.failing(() => upstream.toUpstreamBody(canonical, route.model));
    const parser = upstream.streamParser();
    const text = captureMessageContent ? new StreamedText(request.format) : undefined;
    const output = text && (() => text.messages());
    let usage: CanonicalUsage | undefined;
    let textDeltas = 0;
    let forwardedAny = false;
    let deployment: Deployment | undefined;
    const usageSoFar = (): UpstreamUsage => usage ?? { inputTokens: estimateTokens(canonicalText(canonical)), outputTokens: textDeltas };
    const forward = async (events: CanonicalStreamEvent[]) => {
      for (const event of events) {
        if (event.type === 'usage') usage = event.usage;
        if (event.type === 'text_delta' || event.type === 'thinking_delta' || event.type === 'tool_arguments_delta') textDeltas += 1;
        if (event.type === 'error') throw new GatewayError(ErrorCode.UpstreamUnavailable, event.message);
        text?.add(event);
        subscriber.next({ data: Buffer.from(JSON.stringify(event)) });
        forwardedAny = true;
        if (call.writableNeedDrain) await once(call, 'drain', { signal });
      }
    };
    const started = process.hrtime.bigint();
    this.metrics.streamsInFlight.inc();
    try {
      const opened = await this.router.run(
        route.model,
        (candidate) =>
          route.trace.attempt(candidate, async () => {
            deployment = candidate;
            const events = upstream.stream(candidate.endpoint, route.model, body, signal)[Symbol.asyncIterator]();
            return { events, first: await events.next() };
          }),
        signal,
      );
      deployment = opened.deployment;
      this.firstToken(route, deployment, started);
      for (let next = opened.result.first; !next.done; next = await opened.result.events.next()) await forward(parser.push(next.value));
      await forward(parser.end());
      const final = usageSoFar();
      this.record(route, deployment, final, usage === undefined || usage.estimated === true, 'completed', true, undefined, output);
      subscriber.next({
        end: {
          usage: { inputTokens: final.inputTokens, outputTokens: final.outputTokens, estimated: usage === undefined },
          upstream: { provider: deployment.endpoint.provider, model: route.model.upstreamModel },
        },
      });
      subscriber.complete();
    } catch (error) {
      if (signal.aborted) {
        const final = deployment ? usageSoFar() : undefined;
        if (deployment) this.record(route, deployment, final!, usage === undefined, 'cancelled', true, undefined, output);
        else route.trace.fail(error);
        if (signal.reason === CUT) this.endCut(subscriber, forwardedAny && final ? { ...final, estimated: usage === undefined } : undefined);
        return;
      }
      if (!forwardedAny || !deployment) {
        route.trace.fail(error);
        subscriber.error(error);
        return;
      }
      const final = usageSoFar();
      this.record(route, deployment, final, usage === undefined, 'failed', true, undefined, output);
      this.metrics.upstreamErrors.inc({ provider: deployment.endpoint.provider, code: isGatewayError(error) ? error.code : 'mid_stream' });
      const failure = isGatewayError(error)
        ? error
        : new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${deployment.endpoint.provider}) failed mid-stream.`);
      subscriber.next({ error: { code: failure.code, message: failure.message, usage: { ...final, estimated: usage === undefined } } });
      subscriber.complete();
    } finally {
      this.metrics.streamsInFlight.dec();
    }
  }

  /** Ends a stream cut by the shutdown: an error event with its usage once something was sent, else a plain error. */
  private endCut(subscriber: Subscriber<chat.CompletionEvent>, usage: common.TokenUsage | undefined): void {
    if (subscriber.closed) return;
    const failure = restarting();
    if (!usage) {
      subscriber.error(failure);
      return;
    }
    subscriber.next({ error: { code: failure.code, message: failure.message, usage } });
    subscriber.complete();
  }

  /** Time to the upstream's first event: the histogram by provider and model, and the completion's span. */
  private firstToken(route: Route, deployment: Deployment, started: bigint): void {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.metrics.timeToFirstToken.observe({ provider: deployment.endpoint.provider, model: route.model.id }, seconds);
    route.trace.firstChunk(seconds);
  }

  /** One upstream attempt, measured and counted by deployment. */
  private async attempt<T>(deployment: Deployment, streamed: boolean, call: () => Promise<T>): Promise<T> {
    const labels = { provider: deployment.endpoint.provider, streamed: String(streamed) };
    const timer = this.metrics.upstreamDuration.startTimer(labels);
    try {
      return await call();
    } catch (error) {
      const code = isGatewayError(error) ? error.code : 'error';
      this.metrics.upstreamRequests.inc({ ...labels, outcome: code });
      this.metrics.upstreamErrors.inc({ provider: deployment.endpoint.provider, code });
      throw error;
    } finally {
      timer();
    }
  }

  private route(request: chat.CompletionRequest, streamed: boolean): Route {
    if (!request.caller?.accountId) throw GatewayError.invalid('caller is required');
    const model = this.catalog.findOfKind(request.model, 'chat');
    if (!model)
      throw new GatewayError(ErrorCode.ModelNotFound, `The model '${request.model}' does not exist or you do not have access to it.`, { param: 'model' });
    const upstreamFormat = providers[model.provider].format;
    if (request.format === chat.WireFormat.WIRE_FORMAT_CANONICAL) {
      const upstream = this.upstreams[upstreamFormat];
      if (!upstream)
        throw new GatewayError(
          ErrorCode.UpstreamUnavailable,
          `The model '${model.id}' is not available: its upstream format (${upstreamFormat}) is not served.`,
        );
      return { model, caller: request.caller, upstream, trace: new CompletionTrace(model, request.caller, streamed) };
    }
    const passthrough = passthroughFormats[request.format] === upstreamFormat ? this.passthroughs[upstreamFormat] : undefined;
    if (!passthrough) {
      throw GatewayError.invalid(`No pass-through from ${chat.wireFormatToJSON(request.format)} to the ${upstreamFormat} format of '${model.id}'.`);
    }
    return { model, caller: request.caller, passthrough, trace: new CompletionTrace(model, request.caller, streamed) };
  }

  private record(
    route: Route,
    deployment: Deployment,
    usage: UpstreamUsage,
    estimated: boolean,
    outcome: Outcome,
    streamed: boolean,
    upstreamModel?: string,
    output?: () => GenAiMessage[],
  ): void {
    const provider = deployment.endpoint.provider;
    route.trace.finish({
      deployment,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      estimated,
      outcome,
      responseModel: upstreamModel || route.model.upstreamModel,
      output,
    });
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

function parseCanonical(body: Buffer): CanonicalChatRequest {
  try {
    return JSON.parse(body.toString('utf8')) as CanonicalChatRequest;
  } catch {
    throw GatewayError.invalid('The canonical request is not valid JSON.');
  }
}

/** The text a canonical prompt carries, for the estimate when an upstream reports no usage. */
function canonicalText(request: CanonicalChatRequest): string {
  const parts = [...(request.system ?? []), ...request.messages.flatMap((m) => m.content)];
  return parts
    .map((p) => (p.type === 'text' ? p.text : p.type === 'tool_result' ? p.content.map((c) => (c.type === 'text' ? c.text : '')).join('') : ''))
    .join('\n');
}
