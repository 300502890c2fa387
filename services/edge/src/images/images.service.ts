import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { ImageModelEntry, imageCostMicros, ModelCatalog } from '@apitopmix/catalog';
import { media } from '@apitopmix/contracts';
import { ImageEditRequest, ImagesRequest, OpenAiImagesResponse, renderImagesResponse, toImagesRequestJson } from '@apitopmix/dialects/openai-images';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { CONFIG, LOGGER } from '@apitopmix/platform/nest';
import { extractApiKey } from '../auth/api-key-extractor';
import { RequestAdmission } from '../admission/request-admission';
import { AuthService } from '../auth/auth.service';
import { EdgeConfig } from '../config/edge.config';
import { CreditGateService } from '../credit/credit-gate.service';
import { AdmissionService } from '../rate-limit/admission.service';
import { rateLimitHeaders } from '../rate-limit/rate-limit.client';
import { ImagesClient } from './images.client';
import { MediaUrlSigner } from './media-url-signer';

/**
 * `POST /v1/images/generations` and `/v1/images/edits` at the edge: authenticate, validate, then at once admit
 * against the rate limits (one request, no tokens) and reserve the most the request can cost (n images at the
 * model's price per image); media-jobs generates; the reservation is set to what was delivered (failed images are
 * not charged) or released when nothing was. Media-jobs publishes the usage event that billing settles.
 */
@Injectable()
export class ImagesService {
  readonly signer: MediaUrlSigner;

  constructor(
    private readonly auth: AuthService,
    private readonly rateLimits: AdmissionService,
    private readonly catalog: ModelCatalog,
    private readonly credit: CreditGateService,
    private readonly images: ImagesClient,
    private readonly requests: RequestAdmission,
    @Inject(CONFIG) private readonly config: EdgeConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    let key = config.MEDIA_URL_SIGNING_KEY;
    if (!key) {
      key = randomBytes(32).toString('base64url');
      logger.warn('MEDIA_URL_SIGNING_KEY is not set: image URLs from this edge work on this edge only, until it restarts');
    }
    this.signer = new MediaUrlSigner(key);
  }

  async handle(req: FastifyRequest, reply: FastifyReply, parse: (body: unknown) => ImagesRequest | ImageEditRequest): Promise<void> {
    const caller = await this.auth.authenticate(extractApiKey(req));
    let request: ImagesRequest | ImageEditRequest | undefined;
    let invalid: unknown;
    try {
      request = parse(req.body);
    } catch (error) {
      invalid = error;
    }
    const model = request ? this.catalog.findOfKind(request.model, 'image') : undefined;
    let unsupported: unknown;
    try {
      if (request && model) checkImageSize(request, model);
    } catch (error) {
      unsupported = error;
    }
    const priced = request && model && !unsupported && this.auth.isModelAllowed(caller, model.id) ? model : undefined;
    // Independent checks, one round trip's time for both; images are rate-limited per request, not per token.
    const [admission, reservation] = await Promise.allSettled([
      this.rateLimits.admit(caller, 0),
      priced && request ? this.credit.authorize(caller, req.id, imageCostMicros(priced.price, request.n)) : Promise.resolve(undefined),
    ]);
    if (admission.status === 'rejected') {
      if (reservation.status === 'fulfilled') this.credit.release(reservation.value);
      throw admission.reason;
    }
    reply.headers({ ...rateLimitHeaders(admission.value), 'x-request-id': req.id });
    if (!request) throw invalid;
    if (!model)
      throw new GatewayError(ErrorCode.ModelNotFound, `The model '${request.model}' does not exist or you do not have access to it.`, { param: 'model' });
    this.auth.assertModelAllowed(caller, model.id);
    if (unsupported) throw unsupported;
    if (reservation.status === 'rejected') throw reservation.reason;

    let generated;
    try {
      generated = await this.images.generate({
        caller: this.requests.callerContext(req, caller),
        model: model.id,
        body: Buffer.from(JSON.stringify(toImagesRequestJson(request))),
        inputImages: 'images' in request ? request.images.map((image) => ({ contentType: image.contentType, data: image.data })) : [],
      });
    } catch (error) {
      // Nothing delivered, nothing charged: the credit held is free again.
      this.credit.release(reservation.value);
      throw error;
    }
    this.credit.settle(reservation.value, imageCostMicros(model.price, generated.images.length));
    const body = this.render(req, Number(generated.summary.created), generated.images);
    reply.status(200).header('content-type', 'application/json').send(JSON.stringify(body));
  }

  private render(req: FastifyRequest, created: number, images: media.GeneratedImage[]): OpenAiImagesResponse {
    const base = (this.config.PUBLIC_BASE_URL ?? `${req.protocol}://${req.host}`).replace(/\/+$/, '');
    return renderImagesResponse(
      created,
      images.map((image) => ({
        contentType: image.contentType,
        image: image.mediaId
          ? { url: `${base}${this.signer.path(image.mediaId, Number(image.expiresAt))}` }
          : { b64_json: Buffer.from(image.data).toString('base64') },
      })),
    );
  }
}

/** `image_size` must be one the model offers (the catalog's list): a 400 before anything is reserved. */
function checkImageSize(request: ImagesRequest, model: ImageModelEntry): void {
  if (request.imageSize !== undefined && !model.imageSizes.includes(request.imageSize)) {
    throw GatewayError.invalid(`Invalid value for 'image_size': '${request.imageSize}'. ${model.id} supports ${model.imageSizes.join(', ')}.`, 'image_size');
  }
}
