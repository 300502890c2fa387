export * from './xai-video.api';
export * from './xai-video.client';
export * from './xai-video.errors';
export * from './xai-video.format';
