import { trace, Tracer } from '@opentelemetry/api';

/**
 * The gateway's tracer, got once per process: spans are started from it, never from a tracer looked up per
 * request. Before the SDK starts it is a proxy that binds to the real provider when there is one.
 */
export const tracer: Tracer = trace.getTracer('apitopmix');

/**
 * OpenTelemetry GenAI semantic conventions (development status), written out rather than imported from the
 * semantic-conventions package's incubating entry point, which is large to load at start-up.
 */
export const GenAi = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestStream: 'gen_ai.request.stream',
  responseModel: 'gen_ai.response.model',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  /** Seconds from the request to the first chunk of a streamed answer. */
  timeToFirstChunk: 'gen_ai.response.time_to_first_chunk',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  errorType: 'error.type',
} as const;

/** The gateway's own attributes, beside the conventions'. */
export const Attr = {
  requestId: 'apitopmix.request.id',
  accountId: 'apitopmix.account.id',
  apiKeyId: 'apitopmix.api_key.id',
  tier: 'apitopmix.tier',
  deployment: 'apitopmix.deployment.name',
  attempt: 'apitopmix.attempt',
  retryCount: 'apitopmix.retry.count',
  outcome: 'apitopmix.outcome',
  tokensEstimated: 'apitopmix.usage.estimated',
  usageEventId: 'apitopmix.usage.event_id',
} as const;

/** `gen_ai.provider.name` for each provider id of the catalog: the convention's well-known value where it has one. */
const providerNames: Record<string, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'gcp.gemini',
  deepseek: 'deepseek',
  'nvidia-nim': 'nvidia_nim',
};

export function genAiProviderName(provider: string): string {
  return providerNames[provider] ?? provider.replace(/-/g, '_');
}

/**
 * Whether prompts and completions may be recorded on spans (`gen_ai.input.messages`, `gen_ai.output.messages`).
 * Off unless an operator sets OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true, the variable the GenAI
 * instrumentations use. Read once: changing it needs a restart.
 */
export const captureMessageContent: boolean = /^true$/i.test(process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT ?? '');
