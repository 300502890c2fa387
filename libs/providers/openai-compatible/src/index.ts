export * from './openai-compatible.api';
export * from './openai-compatible.chat';
export * from './openai-compatible.errors';
