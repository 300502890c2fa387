import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { Observable } from 'rxjs';
import { chat } from '@apitopmix/contracts';
import { CallHandle, CompletionService } from './completion.service';

@Controller()
export class CompletionController {
  constructor(private readonly completions: CompletionService) {}

  @GrpcMethod('ChatService', 'Complete')
  complete(request: chat.CompletionRequest, _metadata: Metadata, call: CallHandle): Promise<chat.CompletionResponse> {
    return this.completions.complete(request, call);
  }

  @GrpcMethod('ChatService', 'StreamCompletion')
  streamCompletion(request: chat.CompletionRequest, _metadata: Metadata, call: CallHandle): Observable<chat.CompletionEvent> {
    return this.completions.stream(request, call);
  }
}
