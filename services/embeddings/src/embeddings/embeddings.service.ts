import { Inject, Injectable } from '@nestjs/common';
import { EmbeddingModelEntry, ModelCatalog, wireFormatOf, WireFormatId } from '@apitopmix/catalog';
import { CanonicalEmbeddingInput, CanonicalEmbeddingRequest, common, embeddingInputCount, embeddings } from '@apitopmix/contracts';
import {
  checkEmbeddingRequestForModel,
  parseOpenAiEmbeddingRequest,
  renderOpenAiEmbeddingResponse,
  toCanonicalEmbeddingRequest,
} from '@apitopmix/dialects/openai-chat';
import { ErrorCode, GatewayError, isGatewayError } from '@apitopmix/platform/errors';
import { channelOptions } from '@apitopmix/platform/grpc';
import { estimateTokens, UsagePublisher } from '@apitopmix/platform/usage';
import { Deployment, DeploymentRouter } from '@apitopmix/providers/routing';
import { EMBEDDING_UPSTREAMS, EmbeddingUpstream } from '../upstreams/embedding-upstreams';
import { EmbeddingsMetrics } from './embeddings-metrics';

/** What the controller hands over of a gRPC call: enough to notice that the caller went away. */
export type CallHandle = NodeJS.EventEmitter;

/**
 * `Embed`: an OpenAI embeddings request (validated again here: the edge is not the only possible caller) for a
 * catalog embedding model, routed to one of its deployments, sent in the upstream's format, and answered in
 * OpenAI's shape with the encoding the caller asked for. One usage event per call that reached an upstream: the
 * upstream's count, or an estimate marked as one.
 */
@Injectable()
export class EmbeddingsService {
  constructor(
    private readonly catalog: ModelCatalog,
    private readonly router: DeploymentRouter,
    @Inject(EMBEDDING_UPSTREAMS) private readonly upstreams: Partial<Record<WireFormatId, EmbeddingUpstream>>,
    private readonly usage: UsagePublisher,
    private readonly metrics: EmbeddingsMetrics,
  ) {}

  async embed(request: embeddings.EmbedRequest, call: CallHandle): Promise<embeddings.EmbedResponse> {
    const caller = request.caller;
    if (!caller?.accountId) throw GatewayError.invalid('caller is required');
    const model = this.catalog.findOfKind(request.model, 'embedding');
    if (!model)
      throw new GatewayError(ErrorCode.ModelNotFound, `The model '${request.model}' does not exist or you do not have access to it.`, { param: 'model' });
    const openAi = parseOpenAiEmbeddingRequest(parseJson(request.body));
    checkEmbeddingRequestForModel(openAi, model);
    const canonical = toCanonicalEmbeddingRequest(openAi);
    assertAnswerFits(canonical, model);
    const format = wireFormatOf(model);
    const upstream = this.upstreams[format];
    if (!upstream)
      throw new GatewayError(ErrorCode.UpstreamUnavailable, `The model '${model.id}' is not available: its upstream format (${format}) is not served.`);

    const abort = new AbortController();
    const onCancel = () => abort.abort();
    call.once('cancelled', onCancel);
    let reached: Deployment | undefined;
    try {
      const { result, deployment } = await this.router.run(
        model,
        (candidate) => {
          reached = candidate;
          return this.attempt(candidate, () => upstream.embed(candidate.endpoint, model.upstreamModel, canonical, abort.signal));
        },
        abort.signal,
      );
      const estimated = result.usage === undefined;
      const inputTokens = result.usage?.inputTokens ?? estimateInput(canonical.input);
      this.record(caller, model, deployment, inputTokens, estimated, 'completed', result.model);
      this.metrics.vectors.inc({ model: model.id }, result.vectors.length);
      const body = renderOpenAiEmbeddingResponse(result, { model: openAi.model, encodingFormat: canonical.encodingFormat, inputTokens });
      return { body: Buffer.from(JSON.stringify(body)), usage: { inputTokens, outputTokens: 0, estimated } };
    } catch (error) {
      // A cancelled call may already have reached an upstream: bill the input we know it read.
      if (abort.signal.aborted && reached) this.record(caller, model, reached, estimateInput(canonical.input), true, 'cancelled');
      throw error;
    } finally {
      call.off('cancelled', onCancel);
    }
  }

  /** One upstream attempt, measured and counted by provider. */
  private async attempt<T>(deployment: Deployment, run: () => Promise<T>): Promise<T> {
    const provider = deployment.endpoint.provider;
    const timer = this.metrics.upstreamDuration.startTimer({ provider });
    try {
      return await run();
    } catch (error) {
      this.metrics.upstreamRequests.inc({ provider, outcome: isGatewayError(error) ? error.code : 'error' });
      throw error;
    } finally {
      timer();
    }
  }

  private record(
    caller: common.CallerContext,
    model: EmbeddingModelEntry,
    deployment: Deployment,
    inputTokens: number,
    estimated: boolean,
    outcome: 'completed' | 'cancelled',
    upstreamModel?: string,
  ): void {
    const provider = deployment.endpoint.provider;
    this.metrics.upstreamRequests.inc({ provider, outcome });
    this.metrics.tokens.inc({ model: model.id, estimated: String(estimated) }, inputTokens);
    this.usage.publish({
      caller,
      model: model.id,
      provider,
      upstreamModel: upstreamModel || model.upstreamModel,
      inputTokens,
      outputTokens: 0,
      tokensEstimated: estimated,
      outcome,
      streamed: false,
      unit: 'token',
    });
  }
}

/** The most bytes one gRPC message between the services may hold (64 MiB), less room for the rest of the answer. */
const MAX_ANSWER_BYTES = Number(channelOptions['grpc.max_send_message_length']) - 256 * 1024;
/** A float32 value as JSON, at its longest: sign, `0.`, 17 digits after the first nonzero one, exponent, comma. */
const MAX_FLOAT_JSON_BYTES = 26;

/**
 * Refuses, before any upstream is called (and paid), a request whose answer could not cross the gRPC hop to the
 * edge: only floats for about a thousand inputs of 3,072 dimensions come near. Base64 (the `openai` SDK's default)
 * always fits: 2,048 inputs of 3,072 dimensions are about 34 MB.
 */
export function assertAnswerFits(request: CanonicalEmbeddingRequest, model: EmbeddingModelEntry): void {
  const dimensions = request.dimensions ?? model.dimensions;
  const perVector = request.encodingFormat === 'base64' ? Math.ceil((dimensions * 4) / 3) + 64 : dimensions * MAX_FLOAT_JSON_BYTES + 64;
  const vectors = embeddingInputCount(request.input);
  if (vectors * perVector <= MAX_ANSWER_BYTES) return;
  const most = Math.floor(MAX_ANSWER_BYTES / perVector);
  throw GatewayError.invalid(
    `Too many inputs for one ${request.encodingFormat} response of ${dimensions}-dimension vectors: at most ${most} per request. ` +
      `Ask for encoding_format "base64" (what the openai SDKs do by default), fewer dimensions, or send fewer inputs.`,
    'input',
  );
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw GatewayError.invalid('We could not parse the JSON body of your request. The body must be valid JSON.');
  }
}

/**
 * The input's tokens when the upstream reported none: token ids are counted as sent, text with OpenAI's o200k_base
 * tokenizer (the usage event says the count is the gateway's).
 */
export function estimateInput(input: CanonicalEmbeddingInput): number {
  if (input.type === 'tokens') return input.tokens.reduce((sum, ids) => sum + ids.length, 0);
  return input.texts.reduce((sum, text) => sum + estimateTokens(text), 0);
}
