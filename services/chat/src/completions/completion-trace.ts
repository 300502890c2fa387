import { context, Context, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ChatModelEntry } from '@apitopmix/catalog';
import { common } from '@apitopmix/contracts';
import { isGatewayError } from '@apitopmix/platform/errors';
import { Attr, captureMessageContent, GenAi, genAiProviderName, tracer } from '@apitopmix/platform/telemetry';
import type { Deployment } from '@apitopmix/providers/routing';
import type { GenAiMessage } from './gen-ai-content';

export interface CompletionEnd {
  deployment: Deployment;
  inputTokens: number;
  outputTokens: number;
  estimated: boolean;
  outcome: 'completed' | 'cancelled' | 'failed';
  responseModel: string;
  output?: () => GenAiMessage[];
}

/**
 * One chat completion as a GenAI span, `chat {upstream model}` (CLIENT), from the call until the answer's last byte,
 * retries included (as the GenAI conventions ask), with one `upstream attempt` child per deployment tried (the
 * HTTP call is that child's child). The gRPC server span it runs under gets the caller's ids and tier.
 *
 * Cheap when spans are not recorded (no exporter, or sampled out): attributes are built only for a recording span.
 * Prompts and completions are added only with content capture on, and are worked out only then.
 */
export class CompletionTrace {
  private readonly span: Span;
  private readonly context: Context;
  private readonly recording: boolean;
  private attempts = 0;
  private ended = false;

  constructor(
    private readonly model: ChatModelEntry,
    caller: common.CallerContext,
    streamed: boolean,
  ) {
    const parent = context.active();
    this.span = tracer.startSpan(`chat ${model.upstreamModel}`, { kind: SpanKind.CLIENT }, parent);
    this.context = trace.setSpan(parent, this.span);
    this.recording = this.span.isRecording();
    if (!this.recording) return;
    const who = {
      [Attr.requestId]: caller.requestId,
      [Attr.accountId]: caller.accountId,
      [Attr.apiKeyId]: caller.apiKeyId,
      [Attr.tier]: common.tierToJSON(caller.tier).replace('TIER_', '').toLowerCase(),
    };
    trace.getSpan(parent)?.setAttributes(who);
    this.span.setAttributes({
      ...who,
      [GenAi.operationName]: 'chat',
      [GenAi.providerName]: genAiProviderName(model.provider),
      [GenAi.requestModel]: model.upstreamModel,
      [GenAi.requestStream]: streamed,
      'apitopmix.model': model.id,
    });
  }

  /** Records the prompt, when content capture is on. */
  input(messages: () => GenAiMessage[]): void {
    if (!this.recording || !captureMessageContent) return;
    try {
      this.span.setAttribute(GenAi.inputMessages, JSON.stringify(messages()));
    } catch {
      // A prompt that cannot be read as expected is left out rather than failing the call.
    }
  }

  /** Runs a step that may refuse the request before any upstream call; a refusal ends the span. */
  failing<T>(step: () => T): T {
    try {
      return step();
    } catch (error) {
      this.fail(error);
      throw error;
    }
  }

  /** Runs one upstream attempt under its own span, so the HTTP call and any retry show where they went. */
  attempt<T>(deployment: Deployment, run: () => Promise<T>): Promise<T> {
    this.attempts += 1;
    const span = tracer.startSpan('upstream attempt', { kind: SpanKind.INTERNAL }, this.context);
    if (span.isRecording()) {
      span.setAttributes({
        [Attr.deployment]: deployment.name,
        [Attr.attempt]: this.attempts,
        [GenAi.providerName]: genAiProviderName(deployment.endpoint.provider),
      });
    }
    return context.with(trace.setSpan(this.context, span), run).then(
      (result) => {
        span.end();
        return result;
      },
      (error: unknown) => {
        failSpan(span, error);
        span.end();
        throw error;
      },
    );
  }

  /** Seconds from the call to the upstream's first event of a stream. */
  firstChunk(seconds: number): void {
    if (this.recording) this.span.setAttribute(GenAi.timeToFirstChunk, seconds);
  }

  /** The answer's end (or a stream's cut), with the usage that is billed. */
  finish(end: CompletionEnd): void {
    if (this.ended) return;
    this.ended = true;
    if (this.recording) {
      this.span.setAttributes({
        [GenAi.providerName]: genAiProviderName(end.deployment.endpoint.provider),
        [GenAi.responseModel]: end.responseModel,
        [GenAi.usageInputTokens]: end.inputTokens,
        [GenAi.usageOutputTokens]: end.outputTokens,
        [Attr.tokensEstimated]: end.estimated,
        [Attr.deployment]: end.deployment.name,
        [Attr.retryCount]: Math.max(0, this.attempts - 1),
        [Attr.outcome]: end.outcome,
      });
      if (end.outcome === 'failed') this.span.setStatus({ code: SpanStatusCode.ERROR });
      if (captureMessageContent && end.output) {
        try {
          this.span.setAttribute(GenAi.outputMessages, JSON.stringify(end.output()));
        } catch {
          // As for the prompt.
        }
      }
    }
    this.span.end();
  }

  /** No answer: the call failed before any upstream event (or its route was refused). */
  fail(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    if (this.recording) {
      this.span.setAttribute(Attr.retryCount, Math.max(0, this.attempts - 1));
      failSpan(this.span, error);
    }
    this.span.end();
  }
}

function failSpan(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  const type = isGatewayError(error) ? error.code : error instanceof Error ? error.name : 'error';
  span.setAttribute(GenAi.errorType, type);
  // No message: an upstream's error text could quote the prompt.
  span.setStatus({ code: SpanStatusCode.ERROR });
}
