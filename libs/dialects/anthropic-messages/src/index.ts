export * from './anthropic-messages.types';
export * from './anthropic-messages.request';
export * from './anthropic-messages.to-canonical';
export * from './anthropic-messages.from-canonical';
export * from './anthropic-messages.stream-renderer';
export * from './anthropic-messages.dialect';
export * from './anthropic-errors';
export * from './anthropic-ids';
