export * from './token-estimate';
export * from './usage-publisher';
export * from './usage-producer';
export * from './usage-queue-metrics';
export * from './usage.config';
