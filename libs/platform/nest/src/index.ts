export * from './bootstrap-grpc-service';
export * from './grpc-exception.filter';
export * from './pino-nest-logger';
export * from './tokens';
export * from './run-grpc-service';
export * from './grpc-server-metrics';
