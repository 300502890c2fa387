import { trace } from '@opentelemetry/api';
import { tracing } from '@opentelemetry/sdk-node';
import { ModelCatalog } from '@apitopmix/catalog';
import { common } from '@apitopmix/contracts';
import type { Deployment } from '@apitopmix/providers/routing';

const exporter = new tracing.InMemorySpanExporter();
trace.setGlobalTracerProvider(new tracing.BasicTracerProvider({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] }));

const model = new ModelCatalog().findOfKind('gpt-4.1', 'chat')!;
const caller = { requestId: 'req_1', accountId: 'acc-1', apiKeyId: 'key-1', tier: common.Tier.TIER_PRO };
const deployment: Deployment = {
  name: 'east',
  weight: 1,
  endpoint: { provider: 'openai', baseUrl: 'https://up', apiKey: 'sk-provider-secret' },
  serves: () => true,
};

/** Runs one completion through a CompletionTrace loaded with the given environment; returns its spans' attributes. */
async function run(env: Record<string, string | undefined>) {
  exporter.reset();
  const saved = process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT;
  process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT = env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT;
  if (env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT === undefined) delete process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT;
  let Trace!: typeof import('./completion-trace').CompletionTrace;
  jest.isolateModules(() => {
    ({ CompletionTrace: Trace } = jest.requireActual<typeof import('./completion-trace')>('./completion-trace'));
  });
  if (saved === undefined) delete process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT;
  else process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT = saved;

  const completion = new Trace(model, caller, true);
  completion.input(() => [{ role: 'user', parts: [{ type: 'text', content: 'my secret prompt' }] }]);
  await completion.attempt(deployment, () => Promise.reject(Object.assign(new Error('boom'), { name: 'UpstreamError' }))).catch(() => undefined);
  await completion.attempt(deployment, () => Promise.resolve('ok'));
  completion.firstChunk(0.25);
  completion.finish({
    deployment,
    inputTokens: 12,
    outputTokens: 34,
    estimated: false,
    outcome: 'completed',
    responseModel: 'gpt-4.1-2025-04-14',
    output: () => [{ role: 'assistant', parts: [{ type: 'text', content: 'the completion' }] }],
  });
  const spans = exporter.getFinishedSpans();
  return {
    genAi: spans.find((s) => s.name === 'chat gpt-4.1')!,
    attempts: spans.filter((s) => s.name === 'upstream attempt'),
    all: JSON.stringify(spans.map((s) => s.attributes)),
  };
}

describe('CompletionTrace', () => {
  it('records the GenAI attributes, the caller, the deployment and the retries, and no content by default', async () => {
    const { genAi, attempts, all } = await run({});
    expect(genAi.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4.1',
      'gen_ai.response.model': 'gpt-4.1-2025-04-14',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 34,
      'gen_ai.response.time_to_first_chunk': 0.25,
      'apitopmix.account.id': 'acc-1',
      'apitopmix.api_key.id': 'key-1',
      'apitopmix.tier': 'pro',
      'apitopmix.deployment.name': 'east',
      'apitopmix.retry.count': 1,
    });
    expect(attempts.map((a) => a.attributes['apitopmix.attempt'])).toEqual([1, 2]);
    expect(attempts[0].attributes['error.type']).toBe('UpstreamError');
    expect(attempts.every((a) => a.parentSpanContext?.spanId === genAi.spanContext().spanId)).toBe(true);
    expect(all).not.toContain('my secret prompt');
    expect(all).not.toContain('the completion');
    expect(all).not.toContain('sk-provider-secret');
  });

  it('records prompts and completions only when content capture is turned on', async () => {
    const { genAi, all } = await run({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' });
    expect(JSON.parse(genAi.attributes['gen_ai.input.messages'] as string)).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'my secret prompt' }] }]);
    expect(JSON.parse(genAi.attributes['gen_ai.output.messages'] as string)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'the completion' }] },
    ]);
    expect(all).not.toContain('sk-provider-secret');
  });
});
