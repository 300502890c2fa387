export * from './openai-chat.request';
export * from './openai-errors';
export * from './openai-sse';
