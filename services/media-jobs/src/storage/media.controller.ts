import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Observable } from 'rxjs';
import { media } from '@apitopmix/contracts';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { MEDIA_STORE, MediaStore } from './media-store';

/** Chunks well below gRPC's message limit, so any image streams whatever its size. */
export const MEDIA_CHUNK_BYTES = 1024 * 1024;

@Controller()
export class MediaController {
  constructor(@Inject(MEDIA_STORE) private readonly store: MediaStore) {}

  /** Stored media by id, in chunks (the first names the type and the size); NOT_FOUND once expired or deleted. */
  @GrpcMethod('MediaJobsService', 'GetMedia')
  getMedia(request: media.GetMediaRequest): Observable<media.MediaChunk> {
    return new Observable<media.MediaChunk>((subscriber) => {
      this.store.get(request.mediaId).then(
        (object) => {
          if (!object) return subscriber.error(new GatewayError(ErrorCode.NotFound, 'This media does not exist or has expired.'));
          const { bytes, contentType } = object;
          for (let offset = 0; offset < bytes.length || offset === 0; offset += MEDIA_CHUNK_BYTES) {
            const data = bytes.subarray(offset, offset + MEDIA_CHUNK_BYTES);
            subscriber.next(offset === 0 ? { contentType, totalBytes: String(bytes.length), data } : { contentType: '', totalBytes: '0', data });
            if (bytes.length === 0) break;
          }
          subscriber.complete();
        },
        (error: unknown) => subscriber.error(error),
      );
    });
  }
}
