import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { embeddings } from '@apitopmix/contracts';
import { callUnary, createGrpcClient } from '@apitopmix/platform/grpc';
import { CONFIG } from '@apitopmix/platform/nest';
import { EdgeConfig } from '../config/edge.config';

/** The edge's side of the embeddings service. */
@Injectable()
export class EmbeddingsClient implements OnModuleDestroy {
  private readonly client: embeddings.EmbeddingsServiceClient;

  constructor(@Inject(CONFIG) private readonly config: EdgeConfig) {
    this.client = createGrpcClient(embeddings.EmbeddingsServiceClient, config.EMBEDDINGS_GRPC_URL);
  }

  embed(request: embeddings.EmbedRequest): Promise<embeddings.EmbedResponse> {
    return callUnary(this.client, this.client.embed, request, this.config.EMBEDDINGS_DEADLINE_MS, 'embeddings');
  }

  onModuleDestroy(): void {
    this.client.close();
  }
}
