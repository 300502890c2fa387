import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { embeddings } from '@apitopmix/contracts';
import { CallHandle, EmbeddingsService } from './embeddings.service';

@Controller()
export class EmbeddingsController {
  constructor(private readonly service: EmbeddingsService) {}

  @GrpcMethod('EmbeddingsService', 'Embed')
  embed(request: embeddings.EmbedRequest, _metadata: Metadata, call: CallHandle): Promise<embeddings.EmbedResponse> {
    return this.service.embed(request, call);
  }
}
