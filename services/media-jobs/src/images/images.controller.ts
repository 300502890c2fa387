import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Observable } from 'rxjs';
import { media } from '@apitopmix/contracts';
import { ImageGeneration } from './image-generation';

@Controller()
export class ImagesController {
  constructor(private readonly images: ImageGeneration) {}

  /**
   * One message per image, then the summary. The caller going away (or its deadline) unsubscribes, which aborts
   * the upstream calls still running.
   */
  @GrpcMethod('MediaJobsService', 'GenerateImage')
  generateImage(request: media.GenerateImageRequest): Observable<media.GenerateImageEvent> {
    return new Observable<media.GenerateImageEvent>((subscriber) => {
      const abort = new AbortController();
      this.images.generate(request, abort.signal).then(
        (result) => {
          for (const image of result.images) subscriber.next({ image });
          subscriber.next({ done: { requested: result.requested, delivered: result.images.length, created: String(result.created) } });
          subscriber.complete();
        },
        (error: unknown) => subscriber.error(error),
      );
      return () => abort.abort();
    });
  }
}
