export * from './start-telemetry';
export * from './kafka-trace-context';
export * from './gen-ai';
export * from './redact-url';
