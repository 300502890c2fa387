export * from './openai-compatible.api';
export * from './openai-compatible.chat';
export * from './openai-compatible.errors';
export * from './openai-compatible.types';
export * from './openai-compatible.read';
export * from './openai-compatible.format';
export * from './openai-compatible.stream-parser';
export * from './openai-compatible.embeddings';
