// Internal contracts: gRPC types generated from proto/ (ts-proto, `npm run generate`) and Kafka topics and events.
export * as common from './generated/gateway/common/v1/common';
export * as chat from './generated/gateway/chat/v1/chat';
export * as ratelimit from './generated/gateway/ratelimit/v1/rate_limit';
export * as billing from './generated/gateway/billing/v1/billing';
export * as credit from './generated/gateway/billing/v1/credit';
export * as embeddings from './generated/gateway/embeddings/v1/embeddings';
export * as media from './generated/gateway/media/v1/media_jobs';
export * from './grpc-packages';
export * from './events/topics';
export * from './events/usage-event.schema';
export * from './events/media-job-update.schema';
export * from './canonical/canonical-chat';
export * from './canonical/canonical-translators';
export * from './admission/token-estimate';
export * from './canonical/canonical-embeddings';
export * from './canonical/float32-base64';
