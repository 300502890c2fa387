import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { ClientReadableStream } from '@grpc/grpc-js';
import { chat } from '@apitopmix/contracts';
import { callUnary, createGrpcClient } from '@apitopmix/platform/grpc';
import { CONFIG } from '@apitopmix/platform/nest';
import { EdgeConfig } from '../config/edge.config';

/** The edge's side of the chat service. Streams come back as a gRPC readable: reading it applies backpressure. */
@Injectable()
export class ChatClient implements OnModuleDestroy {
  private readonly client: chat.ChatServiceClient;

  constructor(@Inject(CONFIG) private readonly config: EdgeConfig) {
    this.client = createGrpcClient(chat.ChatServiceClient, config.CHAT_GRPC_URL);
  }

  complete(request: chat.CompletionRequest): Promise<chat.CompletionResponse> {
    return callUnary(this.client, this.client.complete, request, this.config.COMPLETION_DEADLINE_MS, 'chat');
  }

  /** No overall deadline: a stream lasts as long as the upstream keeps talking (chat enforces idle timeouts). */
  stream(request: chat.CompletionRequest): ClientReadableStream<chat.CompletionEvent> {
    return this.client.streamCompletion(request);
  }

  onModuleDestroy(): void {
    this.client.close();
  }
}
