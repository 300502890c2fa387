export * from './upstream.types';
export * from './sse-reader';
export * from './upstream-http';
export * from './retry-after';
export * from './upstream-task-http';
