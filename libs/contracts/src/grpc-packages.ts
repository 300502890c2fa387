import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The .proto files are the source of truth; servers load them at run time (NestJS uses @grpc/proto-loader). */
export function protoRoot(): string {
  const fromEnv = process.env.APITOPMIX_PROTO_ROOT;
  if (fromEnv) return resolve(fromEnv);
  // Works from source (libs/contracts/src) and from the build (dist/libs/contracts/src): walk up to the repo's proto/.
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'proto');
    if (existsSync(join(candidate, 'gateway'))) return candidate;
  }
  throw new Error('proto/ not found: set APITOPMIX_PROTO_ROOT');
}

/** Each internal service's gRPC package, its service name and its .proto file (relative to protoRoot()). */
export const grpcPackages = {
  chat: { package: 'gateway.chat.v1', service: 'ChatService', proto: 'gateway/chat/v1/chat.proto' },
  rateLimit: { package: 'gateway.ratelimit.v1', service: 'RateLimitService', proto: 'gateway/ratelimit/v1/rate_limit.proto' },
  billing: { package: 'gateway.billing.v1', service: 'BillingService', proto: 'gateway/billing/v1/billing.proto' },
  credit: { package: 'gateway.billing.v1', service: 'CreditService', proto: 'gateway/billing/v1/credit.proto' },
  embeddings: { package: 'gateway.embeddings.v1', service: 'EmbeddingsService', proto: 'gateway/embeddings/v1/embeddings.proto' },
  mediaJobs: { package: 'gateway.media.v1', service: 'MediaJobsService', proto: 'gateway/media/v1/media_jobs.proto' },
} as const;

export type GrpcPackage = (typeof grpcPackages)[keyof typeof grpcPackages];

/** proto-loader options matching the generated types: camelCase fields, int64 as strings, enums as numbers. */
export const protoLoaderOptions = {
  keepCase: false,
  longs: String,
  enums: Number,
  defaults: true,
  oneofs: true,
} as const;
