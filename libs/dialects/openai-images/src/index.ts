export * from './openai-images.request';
export * from './openai-images.response';
export * from './image-bytes';
