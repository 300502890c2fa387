export * from './create-kafka';
export * from './batching-producer';
export { DurableSpool } from './durable-spool';
export type { DurableSpoolOptions } from './durable-spool';
export { SpoolLockedError } from './spool-lock';
export * from './consumer-lag';
export * from './background-consumer';
