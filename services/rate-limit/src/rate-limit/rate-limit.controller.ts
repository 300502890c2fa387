import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { ratelimit } from '@apitopmix/contracts';
import { RateLimitService } from './rate-limit.service';

/** gateway.ratelimit.v1.RateLimitService over gRPC. */
@Controller()
export class RateLimitController {
  constructor(private readonly rateLimit: RateLimitService) {}

  @GrpcMethod('RateLimitService', 'Admit')
  admit(request: ratelimit.AdmitRequest): Promise<ratelimit.AdmitResponse> {
    return this.rateLimit.admit(request);
  }

  @GrpcMethod('RateLimitService', 'Settle')
  settle(request: ratelimit.SettleRequest): Promise<ratelimit.SettleResponse> {
    return this.rateLimit.settle(request);
  }
}
