export * from './gateway-error';
export * from './error-codes';
