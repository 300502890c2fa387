export * from './video-request';
export * from './music-request';
export * from './task-views';
