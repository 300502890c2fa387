export * from './test-platform';
export * from './test-accounts';
export * from './wait-for';
export * from './python-sdk';
export * from './sandbox-control';
export * from './kafka-topic';
export * from './otlp-receiver';
export * from './prometheus-scrape';
