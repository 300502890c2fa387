export * from './catalog.types';
export * from './providers';
export * from './models';
export * from './model-catalog';
export * from './pricing';
export * from './thinking';
export * from './tiers';
