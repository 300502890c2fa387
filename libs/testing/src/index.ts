export * from './test-platform';
export * from './test-accounts';
export * from './wait-for';
