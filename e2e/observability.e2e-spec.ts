import { randomBytes } from 'node:crypto';
import OpenAI from 'openai';
import {
  createTestAccount,
  ledgerRows,
  OtlpReceiver,
  ReceivedSpan,
  SandboxControl,
  scrapeMetrics,
  startTestPlatform,
  sumSamples,
  TestPlatform,
  waitFor,
} from '@apitopmix/testing';

// Traces exported over OTLP to a receiver in the test, the metrics endpoints, the edge's graceful shutdown.
jest.setTimeout(120_000);

let platform: TestPlatform;
let receiver: OtlpReceiver;
let sandbox: SandboxControl;

beforeAll(async () => {
  receiver = await OtlpReceiver.start();
  platform = await startTestPlatform({
    extraEnv: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    },
  });
  sandbox = new SandboxControl(platform.sandboxUrl);
}, 120_000);

afterAll(async () => {
  await platform?.shutdown();
  await receiver?.close();
});

afterEach(async () => {
  await sandbox.faults([], { latencyMs: 0, chunkDelayMs: 0 });
});

const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

describe('traces', () => {
  it('follows one chat request, edge to ledger write, as one trace with GenAI attributes and no prompt or key in it', async () => {
    const { apiKey, accountId, apiKeyId } = await createTestAccount(platform.prisma, { tier: 'PRO' });
    const prompt = `prompt-${randomBytes(8).toString('hex')} tell me a secret`;
    const client = new OpenAI({ apiKey, baseURL: `${platform.baseUrl}/v1` });
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'gpt-4.1', messages: [{ role: 'user', content: prompt }], stream: true, stream_options: { include_usage: true } })
      .withResponse();
    let completion = '';
    for await (const chunk of stream) completion += chunk.choices[0]?.delta.content ?? '';
    expect(completion).toMatch(/Sandbox reply/);
    const requestId = response.headers.get('x-request-id');

    const edgeSpan = await waitFor(
      async () => receiver.spans.find((s) => s.service === 'apitopmix-edge' && s.attributes['apitopmix.request.id'] === requestId),
      (span) => span !== undefined,
      15_000,
    );
    const traceId = edgeSpan!.traceId;
    // The billing consumer's ledger write is the last part to arrive.
    const spans = await waitFor(
      async () => receiver.trace(traceId),
      (all) => all.some((s) => s.name === 'billing.ledger.settle') && all.some((s) => s.scope.includes('pg') && s.service === 'apitopmix-billing'),
      20_000,
    );
    const byService = (service: string) => spans.filter((s) => s.service === `apitopmix-${service}`);
    const one = (predicate: (s: ReceivedSpan) => boolean, what: string) => {
      const found = spans.filter(predicate);
      if (found.length !== 1) throw new Error(`expected one ${what}, found ${found.length}: ${spans.map((s) => `${s.service} ${s.name}`).join(', ')}`);
      return found[0];
    };

    // One tree: the edge's request span is the only root, and every other span's parent is in the trace.
    const ids = new Set(spans.map((s) => s.spanId));
    expect(spans.filter((s) => !s.parentSpanId)).toEqual([edgeSpan]);
    for (const span of spans) if (span.parentSpanId) expect(ids).toContain(span.parentSpanId);
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['apitopmix-edge', 'apitopmix-rate-limit', 'apitopmix-billing', 'apitopmix-chat']));

    // The edge's request span: the route, the caller, what was asked and answered.
    expect(edgeSpan!.kind).toBe(SERVER);
    expect(edgeSpan!.name).toBe('POST /v1/chat/completions');
    expect(edgeSpan!.attributes).toMatchObject({
      'http.route': '/v1/chat/completions',
      'apitopmix.account.id': accountId,
      'apitopmix.api_key.id': apiKeyId,
      'apitopmix.tier': 'pro',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4.1',
      'gen_ai.provider.name': 'openai',
      'gen_ai.response.model': 'gpt-4.1',
    });
    expect(edgeSpan!.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    expect(edgeSpan!.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    expect(edgeSpan!.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThan(0);

    // rate-limit and billing's credit authorization, each a gRPC server span under the edge's client span.
    one((s) => s.service === 'apitopmix-rate-limit' && s.kind === SERVER && s.name.endsWith('RateLimitService/Admit'), 'rate-limit admission');
    one((s) => s.service === 'apitopmix-billing' && s.kind === SERVER && s.name.endsWith('CreditService/Authorize'), 'credit authorization');

    // chat: the GenAI span, its upstream attempt, and the HTTP call under it.
    const genAi = one((s) => s.service === 'apitopmix-chat' && s.name === 'chat gpt-4.1', 'GenAI span');
    expect(genAi.kind).toBe(CLIENT);
    expect(genAi.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4.1',
      'gen_ai.response.model': 'gpt-4.1',
      'apitopmix.account.id': accountId,
      'apitopmix.api_key.id': apiKeyId,
      'apitopmix.tier': 'pro',
      'apitopmix.deployment.name': expect.any(String),
      'apitopmix.retry.count': 0,
    });
    expect(genAi.attributes['gen_ai.usage.output_tokens']).toBe(edgeSpan!.attributes['gen_ai.usage.output_tokens']);
    expect(genAi.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThan(0);
    const attempt = one((s) => s.name === 'upstream attempt' && s.parentSpanId === genAi.spanId, 'upstream attempt');
    const http = one((s) => s.service === 'apitopmix-chat' && s.kind === CLIENT && s.parentSpanId === attempt.spanId, 'upstream HTTP call');
    expect(http.attributes['url.path']).toBe('/v1/chat/completions');

    // Kafka: the usage event's create span in chat, billing's process span its child, the ledger write under it.
    const create = one((s) => s.service === 'apitopmix-chat' && s.kind === PRODUCER, 'usage event create span');
    const consume = one((s) => s.service === 'apitopmix-billing' && s.kind === CONSUMER, 'billing consumer span');
    expect(consume.parentSpanId).toBe(create.spanId);
    expect(consume.attributes['apitopmix.request.id']).toBe(requestId);
    const write = one((s) => s.name === 'billing.ledger.settle', 'ledger write');
    expect(write.parentSpanId).toBe(consume.spanId);
    expect(byService('billing').some((s) => s.scope.includes('pg') && s.parentSpanId === write.spanId)).toBe(true);

    // Neither the prompt, the completion nor the key appears anywhere in what was exported.
    const exported = receiver.bodies.join('\n');
    expect(exported).not.toContain(prompt.slice(0, 20));
    expect(exported).not.toContain('Sandbox reply');
    expect(exported).not.toContain(apiKey.slice('sk-atm-'.length, 20));
  });

  it('never exports a key given in the query string (Gemini ?key=): url.query values are redacted', async () => {
    const { apiKey } = await createTestAccount(platform.prisma, { tier: 'PRO' });
    const response = await fetch(`${platform.baseUrl}/v1beta/models/gemini-2.5-flash:generateContent?key=${apiKey}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hello' }] }] }),
    });
    expect(response.status).toBe(200);
    const span = await waitFor(
      async () => receiver.spans.find((s) => s.service === 'apitopmix-edge' && s.attributes['apitopmix.request.id'] === response.headers.get('x-request-id')),
      (found) => found !== undefined,
      15_000,
    );
    expect(span!.attributes['url.query']).toBe('key=REDACTED');
    expect(span!.attributes['gen_ai.request.model']).toBe('gemini-2.5-flash');
    await new Promise((resolve) => setTimeout(resolve, 500)); // the other services' batches
    expect(receiver.bodies.join('\n')).not.toContain(apiKey.slice('sk-atm-'.length, 20));
  });
});

describe('metrics', () => {
  const scrape = (port: number) => scrapeMetrics(`http://127.0.0.1:${port}/metrics`);

  it('exposes request rate, errors and latency per service, TTFT, tokens by model, upstream errors, rate-limit decisions, consumer lag, streams in flight', async () => {
    const { apiKey } = await createTestAccount(platform.prisma, { tier: 'PRO' });
    const client = new OpenAI({ apiKey, baseURL: `${platform.baseUrl}/v1`, maxRetries: 0 });
    // One upstream failure (retried to success), so upstream errors have a sample.
    await sandbox.faults([{ kind: 'status', status: 503, times: 1 }]);
    await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'count me' }] });
    for await (const _chunk of await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'stream me' }], stream: true })) {
      // drain
    }
    await expect(new OpenAI({ apiKey: 'sk-atm-nope', baseURL: `${platform.baseUrl}/v1`, maxRetries: 0 }).models.list()).rejects.toThrow();

    const { ports } = platform;
    const edge = await scrape(ports.metricsEdge);
    expect(sumSamples(edge.samples, 'edge_http_request_duration_seconds_count', { route: '/v1/chat/completions', status: '200' })).toBeGreaterThanOrEqual(2);
    expect(sumSamples(edge.samples, 'edge_http_request_duration_seconds_count', { status: '401' })).toBeGreaterThanOrEqual(1);
    expect(sumSamples(edge.samples, 'edge_time_to_first_token_seconds_count', { model: 'gpt-4.1' })).toBeGreaterThanOrEqual(1);
    expect(edge.declared).toContain('edge_streams_in_flight');
    expect(edge.samples.find((s) => s.name === 'edge_streams_in_flight')?.value).toBe(0);

    const chat = await waitFor(
      () => scrape(ports.metricsChat),
      (m) => sumSamples(m.samples, 'chat_tokens_total', { model: 'gpt-4.1', direction: 'output' }) > 0,
      5_000,
    );
    expect(sumSamples(chat.samples, 'chat_tokens_total', { model: 'gpt-4.1', direction: 'input' })).toBeGreaterThan(0);
    expect(sumSamples(chat.samples, 'chat_time_to_first_token_seconds_count', { model: 'gpt-4.1' })).toBeGreaterThanOrEqual(1);
    expect(sumSamples(chat.samples, 'chat_upstream_errors_total', { provider: 'openai', code: 'upstream_unavailable' })).toBeGreaterThanOrEqual(1);
    expect(chat.declared).toContain('chat_streams_in_flight');
    expect(sumSamples(chat.samples, 'grpc_server_handled_total', { method: 'ChatService/Complete', code: 'OK' })).toBeGreaterThanOrEqual(1);
    expect(sumSamples(chat.samples, 'grpc_server_handling_seconds_count', { method: 'ChatService/StreamCompletion' })).toBeGreaterThanOrEqual(1);

    const rateLimit = await scrape(ports.metricsRateLimit);
    expect(sumSamples(rateLimit.samples, 'ratelimit_decisions_total')).toBeGreaterThanOrEqual(2);
    expect(sumSamples(rateLimit.samples, 'grpc_server_handled_total', { method: 'RateLimitService/Admit', code: 'OK' })).toBeGreaterThanOrEqual(2);

    const billing = await waitFor(
      () => scrape(ports.metricsBilling),
      (m) => m.samples.some((s) => s.name === 'kafka_consumer_lag' && s.labels.topic === `${platform.topicPrefix}usage.events.v1`),
      15_000,
    );
    expect(sumSamples(billing.samples, 'grpc_server_handled_total', { method: 'CreditService/Authorize' })).toBeGreaterThanOrEqual(2);

    // Every service: its requests' rate, errors (by code) and latency, the same series everywhere.
    for (const port of [ports.metricsChat, ports.metricsEmbeddings, ports.metricsMediaJobs, ports.metricsBilling, ports.metricsRateLimit]) {
      const { declared } = await scrape(port);
      for (const name of ['grpc_server_handled_total', 'grpc_server_handling_seconds', 'grpc_server_in_flight']) expect(declared).toContain(name);
    }
  });

  it("moves the time-to-first-token histograms when the sandbox's latency changes", async () => {
    const { apiKey } = await createTestAccount(platform.prisma, { tier: 'PRO' });
    const client = new OpenAI({ apiKey, baseURL: `${platform.baseUrl}/v1`, maxRetries: 0 });
    const streams = async (n: number) => {
      for (let i = 0; i < n; i++) {
        for await (const _chunk of await client.chat.completions.create({
          model: 'gpt-4.1',
          messages: [{ role: 'user', content: `ttft ${i}` }],
          stream: true,
        })) {
          // drain
        }
      }
    };
    const ttft = async () => {
      const [chat, edge] = await Promise.all([scrape(platform.ports.metricsChat), scrape(platform.ports.metricsEdge)]);
      const read = (samples: typeof chat.samples, name: string) => ({
        sum: sumSamples(samples, `${name}_sum`, { model: 'gpt-4.1' }),
        count: sumSamples(samples, `${name}_count`, { model: 'gpt-4.1' }),
      });
      return { chat: read(chat.samples, 'chat_time_to_first_token_seconds'), edge: read(edge.samples, 'edge_time_to_first_token_seconds') };
    };
    const mean = (before: { sum: number; count: number }, after: { sum: number; count: number }) => (after.sum - before.sum) / (after.count - before.count);

    await sandbox.settings({ latencyMs: 0 });
    const start = await ttft();
    await streams(3);
    const fast = await ttft();
    await sandbox.settings({ latencyMs: 400 });
    await streams(3);
    const slow = await ttft();

    expect(fast.chat.count - start.chat.count).toBe(3);
    expect(slow.chat.count - fast.chat.count).toBe(3);
    expect(mean(fast.chat, slow.chat)).toBeGreaterThanOrEqual(0.4);
    expect(mean(fast.chat, slow.chat) - mean(start.chat, fast.chat)).toBeGreaterThan(0.3);
    expect(mean(fast.edge, slow.edge)).toBeGreaterThanOrEqual(0.4);
    expect(mean(fast.edge, slow.edge) - mean(start.edge, fast.edge)).toBeGreaterThan(0.3);
  });
});

describe('graceful shutdown of the edge', () => {
  /** A streamed chat request read to its end: its request id, frames, and when it ended. */
  const streamOnce = async (baseUrl: string, apiKey: string, content: string, onFirstChunk: () => void) => {
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content }], stream: true }),
    });
    const requestId = response.headers.get('x-request-id');
    const decoder = new TextDecoder();
    let text = '';
    let first = true;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      text += decoder.decode(chunk, { stream: true });
      if (first && text.includes('"content"')) {
        first = false;
        onFirstChunk();
      }
    }
    const frames = text.split('\n\n').filter(Boolean);
    return { status: response.status, requestId, frames, endedAt: Date.now() };
  };

  it('on SIGTERM during 50 streams: refuses new work, finishes all 50 within the grace period, exits 0, and the ledger holds all 50', async () => {
    const { apiKey, accountId } = await createTestAccount(platform.prisma, { tier: 'ENTERPRISE', rpmLimit: 10_000, tpmLimit: 100_000_000 });
    const edge = await platform.startEdge('edge-drain', { SHUTDOWN_GRACE_MS: '20000' });
    // 12 to 36 words at 150 ms each: every stream runs for seconds.
    await sandbox.settings({ chunkDelayMs: 150 });
    let started = 0;
    let allStarted!: () => void;
    const running = new Promise<void>((resolve) => (allStarted = resolve));
    const streams = Array.from({ length: 50 }, (_, i) =>
      streamOnce(edge.baseUrl, apiKey, `drain ${i}`, () => {
        started += 1;
        if (started === 50) allStarted();
      }),
    );
    await running;

    const sigterm = Date.now();
    const exit = edge.process.stop(60_000);
    // Readiness fails and new requests are refused (as soon as the signal is handled).
    await waitFor(
      () =>
        fetch(`${edge.baseUrl}/readyz`).then(
          (r) => r.status,
          () => 503,
        ),
      (status) => status === 503,
      2_000,
    );
    const refused = await fetch(`${edge.baseUrl}/v1/models`, { headers: { authorization: `Bearer ${apiKey}` } }).catch(() => undefined);
    expect(refused === undefined || refused.status === 503).toBe(true);

    const results = await Promise.all(streams);
    for (const result of results) {
      expect(result.status).toBe(200);
      expect(result.frames[result.frames.length - 1]).toBe('data: [DONE]');
      expect(result.frames.join('\n')).not.toContain('"error"');
      expect(result.endedAt).toBeGreaterThan(sigterm);
    }
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - sigterm).toBeLessThan(20_000);

    const rows = await waitFor(
      () => ledgerRows(platform.prisma, accountId),
      (r) => r.length >= 50,
      20_000,
    );
    expect(rows).toHaveLength(50);
    expect(new Set(rows.map((r) => r.requestId))).toEqual(new Set(results.map((r) => r.requestId)));
    expect(rows.every((r) => r.outputTokens > 0)).toBe(true);
  });

  it('cuts a stream still running when the grace period ends with an error event, exits 0, and bills what was generated', async () => {
    const { apiKey, accountId } = await createTestAccount(platform.prisma, { tier: 'PRO' });
    const edge = await platform.startEdge('edge-cut-stream', { SHUTDOWN_GRACE_MS: '1500' });
    // At least 12 words a second apart: the stream would run for 12 s or more.
    await sandbox.settings({ chunkDelayMs: 1_000 });
    let firstChunk!: () => void;
    const firstSeen = new Promise<void>((resolve) => (firstChunk = resolve));
    const stream = streamOnce(edge.baseUrl, apiKey, 'cut me', () => firstChunk());
    await firstSeen;
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // a chunk or two more

    const sigterm = Date.now();
    const exit = edge.process.stop(30_000);
    const result = await stream;
    expect(Date.now() - sigterm).toBeGreaterThanOrEqual(1_400);
    expect(Date.now() - sigterm).toBeLessThan(6_000);
    expect(result.status).toBe(200);
    expect(result.frames).not.toContain('data: [DONE]');
    const last = JSON.parse(result.frames[result.frames.length - 1].slice('data: '.length));
    expect(last.error).toMatchObject({ type: 'service_unavailable', message: expect.stringMatching(/restarting/) });
    const delivered = result.frames.filter((f) => f.includes('"content"')).length;
    expect(delivered).toBeGreaterThanOrEqual(2);
    expect(await exit).toEqual({ code: 0, signal: null });

    const rows = await waitFor(
      () => ledgerRows(platform.prisma, accountId),
      (r) => r.length === 1,
      15_000,
    );
    expect(rows[0].requestId).toBe(result.requestId);
    expect(rows[0].outputTokens).toBeGreaterThanOrEqual(2);
    expect(rows[0].outputTokens).toBeLessThan(12);
  });
});

describe('graceful shutdown of a gRPC service', () => {
  it('SIGTERM to chat during a stream: health fails, the stream runs to the grace period, ends with an error event, is billed; chat exits 0', async () => {
    const { apiKey, accountId } = await createTestAccount(platform.prisma, { tier: 'PRO' });
    const chat = platform.process('chat');
    chat.definition.env.SHUTDOWN_GRACE_MS = '1500';
    await chat.stop();
    chat.start();
    await chat.waitReady();
    await sandbox.settings({ chunkDelayMs: 1_000 });

    const response = await fetch(`${platform.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'outlive chat' }], stream: true }),
    });
    const requestId = response.headers.get('x-request-id');
    const reader = (response.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('"content":"S')) text += decoder.decode((await reader.next()).value, { stream: true });

    const sigterm = Date.now();
    const exit = chat.stop(30_000);
    // chat reports NOT_SERVING at once: the edge's readiness fails on it while the stream goes on.
    const readiness = await waitFor(
      () => fetch(`${platform.baseUrl}/readyz`).then((r) => r.json() as Promise<{ checks: Record<string, string> }>),
      (r) => r.checks.chat !== 'ok',
      3_000,
    );
    expect(readiness.checks.chat).not.toBe('ok');
    for (let next = await reader.next(); !next.done; next = await reader.next()) text += decoder.decode(next.value, { stream: true });
    expect(Date.now() - sigterm).toBeGreaterThanOrEqual(1_400);
    const frames = text.split('\n\n').filter(Boolean);
    expect(frames).not.toContain('data: [DONE]');
    expect(JSON.parse(frames[frames.length - 1].slice('data: '.length)).error).toMatchObject({
      type: 'service_unavailable',
      message: expect.stringMatching(/restarting/),
    });
    expect(await exit).toEqual({ code: 0, signal: null });

    const rows = await waitFor(
      () => ledgerRows(platform.prisma, accountId),
      (r) => r.length === 1,
      15_000,
    );
    expect(rows[0].requestId).toBe(requestId);
    expect(rows[0].outputTokens).toBeGreaterThanOrEqual(2);
    delete chat.definition.env.SHUTDOWN_GRACE_MS;
    chat.start();
    await chat.waitReady();
  });
});
