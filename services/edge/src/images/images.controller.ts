import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import type { ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import { media } from '@apitopmix/contracts';
import { parseImageEditForm, parseImageEditJson, parseImageGenerationRequest } from '@apitopmix/dialects/openai-images';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { fromGrpcError } from '@apitopmix/platform/grpc';
import { MultipartBody } from '../http/multipart-body.parser';
import { ImagesClient } from './images.client';
import { ImagesService } from './images.service';

/** OpenAI's Images API (synchronous, through media-jobs) and the expiring URLs of the images it stored. */
@Controller()
export class ImagesController {
  constructor(
    private readonly images: ImagesService,
    private readonly client: ImagesClient,
  ) {}

  @Post('/v1/images/generations')
  async generate(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.images.handle(req, reply, parseImageGenerationRequest);
  }

  /** JSON (`images` as data URLs) or multipart/form-data (`image` / `image[]` files), as OpenAI's SDKs send it. */
  @Post('/v1/images/edits')
  @RouteConfig({ multipart: true })
  async edit(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.images.handle(req, reply, (body) => (body instanceof MultipartBody ? parseImageEditForm(body.parts) : parseImageEditJson(body)));
  }

  /**
   * A generated image, by its signed URL: no API key (the signature is the credential). A URL that is not ours
   * (bad or missing signature, altered id or expiry) or has expired is 403; one whose image is gone, 404. The bytes
   * stream from media-jobs chunk by chunk.
   */
  @Get('/v1/media/:id')
  async download(@Param('id') id: string, @Query('expires') expires: unknown, @Query('sig') sig: unknown, @Res() reply: FastifyReply): Promise<void> {
    const check = this.images.signer.check(id, expires, sig);
    if (check === 'invalid') throw new GatewayError(ErrorCode.PermissionDenied, 'This media URL is not valid.');
    if (check === 'expired') throw new GatewayError(ErrorCode.PermissionDenied, 'This media URL has expired.');
    const stream = this.client.media(id);
    const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<media.MediaChunk>;
    let first: IteratorResult<media.MediaChunk>;
    try {
      first = await chunks.next();
    } catch (error) {
      throw fromGrpcError(error as ServiceError, 'media-jobs');
    }
    if (first.done) throw new GatewayError(ErrorCode.NotFound, 'This media does not exist or has expired.');
    const secondsLeft = Math.max(0, Number(expires) - Math.floor(Date.now() / 1000));
    reply
      .status(200)
      .header('content-type', first.value.contentType || 'application/octet-stream')
      .header('content-length', first.value.totalBytes)
      .header('cache-control', `private, max-age=${secondsLeft}`)
      .send(Readable.from(rest(first.value, chunks, stream)));
  }
}

/** The bytes: the first chunk's, then the others as they come (pulled, so a slow client slows the stream). */
async function* rest(first: media.MediaChunk, chunks: AsyncIterator<media.MediaChunk>, call: ClientReadableStream<media.MediaChunk>): AsyncGenerator<Buffer> {
  try {
    yield Buffer.from(first.data);
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield Buffer.from(next.value.data);
  } finally {
    call.cancel();
  }
}
