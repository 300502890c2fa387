import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import { media } from '@apitopmix/contracts';
import { createGrpcClient, DeadlineExceededError, fromGrpcError, withDeadline } from '@apitopmix/platform/grpc';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { CONFIG } from '@apitopmix/platform/nest';
import { EdgeConfig } from '../config/edge.config';

export interface GeneratedImages {
  images: media.GeneratedImage[];
  summary: media.GenerateImageSummary;
}

/** The edge's side of media-jobs' images and stored media. */
@Injectable()
export class ImagesClient implements OnModuleDestroy {
  private readonly client: media.MediaJobsServiceClient;

  constructor(@Inject(CONFIG) private readonly config: EdgeConfig) {
    this.client = createGrpcClient(media.MediaJobsServiceClient, config.MEDIA_JOBS_GRPC_URL);
  }

  /**
   * Collects the images and the summary. Past IMAGES_DEADLINE_MS the call is cancelled (media-jobs then aborts its
   * upstream calls and charges nothing) and the caller gets 503.
   */
  async generate(request: media.GenerateImageRequest): Promise<GeneratedImages> {
    const call = this.client.generateImage(request);
    const collected = (async (): Promise<GeneratedImages> => {
      const images: media.GeneratedImage[] = [];
      try {
        for await (const event of call as AsyncIterable<media.GenerateImageEvent>) {
          if (event.image) images.push(event.image);
          if (event.done) return { images, summary: event.done };
        }
      } catch (error) {
        throw fromGrpcError(error as ServiceError, 'media-jobs');
      }
      throw new GatewayError(ErrorCode.ServiceUnavailable, 'media-jobs ended the image stream without a summary');
    })();
    try {
      return await withDeadline(collected, this.config.IMAGES_DEADLINE_MS);
    } catch (error) {
      if (!(error instanceof DeadlineExceededError)) throw error;
      call.cancel();
      collected.catch(() => undefined);
      throw new GatewayError(ErrorCode.ServiceUnavailable, 'The images took too long to generate; please retry.');
    }
  }

  /** A stored object's bytes, in chunks; the first carries its type and size. */
  media(mediaId: string): ClientReadableStream<media.MediaChunk> {
    return this.client.getMedia({ mediaId });
  }

  onModuleDestroy(): void {
    this.client.close();
  }
}
