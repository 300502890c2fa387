import pino, { Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths that could carry a secret, censored wherever they appear in a log line. Bodies are never logged at all:
 * they may hold prompts.
 */
const redactPaths = [
  'authorization',
  'apiKey',
  'key',
  '*.authorization',
  '*.apiKey',
  '*.key',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["x-goog-api-key"]',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-goog-api-key"]',
];

/**
 * Structured JSON logs, one object per line. With OpenTelemetry on, the pino instrumentation adds
 * trace_id and span_id to each line.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service },
    messageKey: 'message',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: redactPaths, censor: '[redacted]' },
  });
}
