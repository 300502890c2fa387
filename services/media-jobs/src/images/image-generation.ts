import type { Logger } from 'pino';
import { ImageModelEntry, ModelCatalog, wireFormatOf } from '@apitopmix/catalog';
import { media } from '@apitopmix/contracts';
import { parseImageGenerationRequest } from '@apitopmix/dialects/openai-images';
import { ErrorCode, GatewayError, isGatewayError } from '@apitopmix/platform/errors';
import type { UsagePublisher } from '@apitopmix/platform/usage';
import { GeminiGeneratedImage, GeminiImages, geminiImageConfig, toGeminiImageRequest } from '@apitopmix/providers/gemini';
import type { DeploymentRouter } from '@apitopmix/providers/routing';
import type { MediaStore } from '../storage/media-store';

export interface ImageGenerationSettings {
  /** Lifetime of a stored image, and of its URL. */
  mediaTtlSeconds: number;
  now?: () => Date;
}

/** What happened to each upstream call, for the metrics. */
export type ImageCallOutcome = 'delivered' | 'failed';

export interface ImageGenerationResult {
  /** Unix seconds. */
  created: number;
  requested: number;
  images: media.GeneratedImage[];
}

/**
 * Synchronous image generation: `n` images are `n` upstream calls made at once (Gemini returns one image per
 * call), each routed on its own (weighted deployment, retries of 429/5xx/timeouts, cool-down: the same router as
 * chat). What succeeded is delivered and charged; what failed is not. If every call failed, the request fails
 * with the most telling error (the caller's own mistake before an outage) and nothing is charged.
 *
 * Delivered images are stored behind expiring URLs (`response_format: url`) or returned as bytes (`b64_json`);
 * then one usage event (unit `image`, quantity = images delivered) is published, with the request id the edge
 * reserved credit under. A call cancelled before that point (the edge gave up) aborts its upstream calls and
 * charges nothing.
 */
export class ImageGeneration {
  constructor(
    private readonly catalog: ModelCatalog,
    private readonly router: Pick<DeploymentRouter, 'run'>,
    private readonly gemini: Pick<GeminiImages, 'generate'>,
    private readonly store: MediaStore,
    private readonly usage: Pick<UsagePublisher, 'publish'>,
    private readonly settings: ImageGenerationSettings,
    private readonly logger: Logger,
    private readonly counted: (outcome: ImageCallOutcome, n: number) => void = () => undefined,
  ) {}

  async generate(request: media.GenerateImageRequest, signal?: AbortSignal): Promise<ImageGenerationResult> {
    const caller = request.caller;
    if (!caller?.accountId) throw GatewayError.invalid('The caller is missing.');
    const model = this.imageModel(request.model);
    const parsed = parseImageGenerationRequest(readJson(request.body));
    const config = geminiImageConfig(parsed.size, parsed.imageSize);
    const inputs = request.inputImages.map((image) => ({ mimeType: image.contentType, data: Buffer.from(image.data) }));
    const body = JSON.stringify(toGeminiImageRequest(parsed.prompt, inputs, config));

    const calls = await Promise.allSettled(
      Array.from({ length: parsed.n }, () =>
        this.router.run(model, (deployment) => this.gemini.generate(deployment.endpoint, model.upstreamModel, body, signal), signal),
      ),
    );
    const delivered = calls.flatMap((call) => (call.status === 'fulfilled' ? [call.value] : []));
    const failures = calls.flatMap((call) => (call.status === 'rejected' ? [call.reason as unknown] : []));
    this.counted('delivered', delivered.length);
    this.counted('failed', failures.length);
    if (signal?.aborted) throw new GatewayError(ErrorCode.ServiceUnavailable, 'The image request was cancelled.');
    const log = { requestId: caller.requestId, model: model.id, requested: parsed.n, delivered: delivered.length };
    if (delivered.length === 0) {
      this.logger.warn({ ...log, errors: failures.map(describe) }, 'image generation failed');
      throw mostTelling(failures);
    }
    if (failures.length > 0) this.logger.warn({ ...log, errors: failures.map(describe) }, 'image generation partly failed');

    const now = (this.settings.now ?? (() => new Date()))();
    const created = Math.floor(now.getTime() / 1000);
    const images =
      parsed.responseFormat === 'url'
        ? await this.storeAll(
            caller.accountId,
            delivered.map((d) => d.result),
            created + this.settings.mediaTtlSeconds,
          )
        : delivered.map(({ result }) => ({ contentType: result.mimeType, data: result.data, mediaId: '', expiresAt: '0' }));

    this.usage.publish({
      caller,
      model: model.id,
      provider: delivered[0].deployment.endpoint.provider,
      upstreamModel: model.upstreamModel,
      inputTokens: 0,
      outputTokens: 0,
      tokensEstimated: false,
      outcome: 'completed',
      streamed: false,
      unit: 'image',
      quantity: delivered.length,
    });
    this.logger.info(log, 'images generated');
    return { created, requested: parsed.n, images };
  }

  private imageModel(id: string): ImageModelEntry {
    const model = this.catalog.findOfKind(id, 'image');
    if (!model) throw new GatewayError(ErrorCode.ModelNotFound, `The model '${id}' does not exist or is not an image model.`, { param: 'model' });
    if (wireFormatOf(model) !== 'gemini-image') {
      throw new GatewayError(ErrorCode.ServiceUnavailable, `The model '${model.id}' is not available for image generation.`);
    }
    return model;
  }

  /** URLs expire on a whole second, the same instant as the stored bytes. If storing fails, nothing is delivered. */
  private async storeAll(accountId: string, images: GeminiGeneratedImage[], expiresAtSeconds: number): Promise<media.GeneratedImage[]> {
    const expiresAt = new Date(expiresAtSeconds * 1000);
    try {
      const ids = await Promise.all(images.map((image) => this.store.put({ accountId, contentType: image.mimeType, bytes: image.data, expiresAt })));
      return ids.map((mediaId, i) => ({ contentType: images[i].mimeType, data: Buffer.alloc(0), mediaId, expiresAt: String(expiresAtSeconds) }));
    } catch (error) {
      this.logger.error({ err: error }, 'generated images could not be stored');
      throw new GatewayError(ErrorCode.ServiceUnavailable, 'The generated images could not be stored. You were not charged; please retry.', { cause: error });
    }
  }
}

function readJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    throw GatewayError.invalid('The images request is not valid JSON.');
  }
}

/**
 * When every call failed: the caller's own mistake (a 400 from the upstream, a refusal by its filters) explains it
 * better than an outage; otherwise the first failure.
 */
function mostTelling(failures: unknown[]): unknown {
  return failures.find((f) => isGatewayError(f) && (f.code === ErrorCode.UpstreamRejected || f.code === ErrorCode.InvalidRequest)) ?? failures[0];
}

function describe(error: unknown): string {
  return isGatewayError(error) ? `${error.code}: ${error.message}` : 'unexpected error';
}
