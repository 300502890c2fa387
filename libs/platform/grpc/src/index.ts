export * from './grpc-errors';
export * from './grpc-client';
export * from './grpc-health';
export * from './deadline';
