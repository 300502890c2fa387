export * from './create-kafka';
export * from './batching-producer';
