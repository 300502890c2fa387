export * from './routing.config';
export * from './deployment-router';
