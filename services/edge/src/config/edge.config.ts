import { z } from 'zod';
import { hostPort, port, positiveInt, serviceEnv, url } from '@apitopmix/platform/config';

export const edgeConfigSchema = serviceEnv.extend({
  EDGE_HOST: z.string().default('127.0.0.1'),
  EDGE_PORT: port.default(8080),
  DATABASE_URL: url.refine((v) => v.startsWith('postgres'), 'must be a postgresql:// URL'),
  CHAT_GRPC_URL: hostPort.default('127.0.0.1:50051'),
  RATE_LIMIT_GRPC_URL: hostPort.default('127.0.0.1:50055'),
  BILLING_GRPC_URL: hostPort.default('127.0.0.1:50054'),
  EMBEDDINGS_GRPC_URL: hostPort.default('127.0.0.1:50052'),
  /**
   * How long a resolved key is trusted before it is read again. Revocation must bite within 5 s everywhere,
   * so this stays below that.
   */
  KEY_CACHE_TTL_MS: positiveInt.max(4_000).default(2_000),
  /** A key lookup slower than this fails (then a recent entry may answer, see auth.service.ts); below the 5 s bound. */
  KEY_LOOKUP_TIMEOUT_MS: positiveInt.max(3_000).default(2_000),
  /**
   * Redis for the key-revocation broadcast: every edge subscribes and evicts a revoked key at once. Optional: without
   * it revocation still bites within KEY_CACHE_TTL_MS, the cache's own expiry.
   */
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  KEY_REVOCATION_CHANNEL: z.string().min(1).default('apitopmix:keys:revoked'),
  /**
   * Bearer token of the admin API (/admin/v1/...). Unset, the admin API does not exist (404). At least 32
   * characters: it can mint keys and money.
   */
  ADMIN_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  /**
   * Deadline for the rate-limit service's answer. Past it the service is overloaded (an unreachable one fails at
   * once) and the request is shed with 503: see admission.service.ts.
   */
  ADMISSION_DEADLINE_MS: positiveInt.default(1_000),
  /**
   * Deadline for billing's credit gate. Longer than the rate limiter's: past it the edge decides from the cached
   * balance, which is safe only for accounts well in credit, so a slow answer is worth waiting for.
   */
  CREDIT_DEADLINE_MS: positiveInt.default(1_000),
  /** Deadline for a whole non-streaming completion. */
  COMPLETION_DEADLINE_MS: positiveInt.default(600_000),
  /** Deadline for an embeddings call (up to 2,048 inputs, retries and fallback included). */
  EMBEDDINGS_DEADLINE_MS: positiveInt.default(300_000),
  /** Silence after which a stream gets an SSE keep-alive comment. */
  SSE_KEEP_ALIVE_MS: positiveInt.default(15_000),
  MEDIA_JOBS_GRPC_URL: hostPort.default('127.0.0.1:50053'),
  /** Deadline for SubmitJob and GetJob (video and music): each is one short database operation in media-jobs. */
  MEDIA_JOBS_DEADLINE_MS: positiveInt.default(10_000),
  /** Deadline for a whole image generation (n images in parallel; 4K takes tens of seconds each). */
  IMAGES_DEADLINE_MS: positiveInt.default(300_000),
  /**
   * HMAC key of the expiring media URLs (/v1/media/{id}?expires=&sig=), at least 32 characters, the same on every
   * edge behind one base URL. Unset, each edge makes a random one at boot: its URLs work on that edge only, until
   * it restarts (fine for one local edge; set it anywhere else).
   */
  MEDIA_URL_SIGNING_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** The base URL clients reach the gateway at, for the media URLs it hands out. Unset: the request's own host. */
  PUBLIC_BASE_URL: url.optional(),
  /** Largest request body accepted, in bytes (base64 images make chat bodies large). */
  BODY_LIMIT_BYTES: positiveInt.default(32 * 1024 * 1024),
});

export type EdgeConfig = z.infer<typeof edgeConfigSchema>;
