export * from './suno.api';
export * from './suno.client';
export * from './suno.errors';
export * from './suno.format';
