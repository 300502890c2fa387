import { pino } from 'pino';
import { ModelCatalog } from '@apitopmix/catalog';
import { media } from '@apitopmix/contracts';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import type { UsageFacts } from '@apitopmix/platform/usage';
import type { UpstreamEndpoint } from '@apitopmix/providers/core';
import type { Deployment } from '@apitopmix/providers/routing';
import type { MediaStore, NewMedia, StoredMedia } from '../storage/media-store';
import { ImageGeneration } from './image-generation';

const caller = { requestId: 'req_1', accountId: '5b0c6d5e-0d6a-4a8e-9d0e-3f1c2a7b9e41', apiKeyId: '6b0c6d5e-0d6a-4a8e-9d0e-3f1c2a7b9e41', tier: 3 };
const endpoint: UpstreamEndpoint = { provider: 'google', baseUrl: 'http://gemini.invalid', apiKey: 'k' };
const deployment: Deployment = { name: 'google', endpoint, weight: 1, serves: () => true };
const png = (n: number) => Buffer.from(`png-${n}`);

class MemoryStore implements MediaStore {
  readonly objects = new Map<string, StoredMedia>();
  failing = false;
  async put(m: NewMedia): Promise<string> {
    if (this.failing) throw new Error('disk full');
    const id = `00000000-0000-4000-8000-${String(this.objects.size).padStart(12, '0')}`;
    this.objects.set(id, { ...m, id, createdAt: new Date() });
    return id;
  }
  async get(id: string): Promise<StoredMedia | undefined> {
    return this.objects.get(id);
  }
  async deleteExpired(): Promise<number> {
    return 0;
  }
}

function setup(outcomes: (Buffer | GatewayError)[]) {
  const bodies: string[] = [];
  let call = 0;
  const gemini = {
    generate: jest.fn(async (_endpoint: UpstreamEndpoint, model: string, body: string) => {
      bodies.push(body);
      expect(model).toBe('gemini-3.1-flash-image');
      const outcome = outcomes[call++ % outcomes.length];
      if (outcome instanceof GatewayError) throw outcome;
      return { mimeType: 'image/png', data: outcome };
    }),
  };
  // The real router's contract: run the attempt against a deployment, give back the result and the deployment.
  const router = {
    run: jest.fn(async (_model: unknown, attempt: (d: Deployment) => Promise<unknown>) => ({ result: await attempt(deployment), deployment, attempts: 1 })),
  };
  const store = new MemoryStore();
  const published: UsageFacts[] = [];
  const usage = { publish: jest.fn((facts: UsageFacts) => (published.push(facts), facts as never)) };
  const counts: Record<string, number> = { delivered: 0, failed: 0 };
  const generation = new ImageGeneration(
    new ModelCatalog(),
    router as never,
    gemini,
    store,
    usage,
    { mediaTtlSeconds: 600, now: () => new Date('2026-11-25T12:00:00.400Z') },
    pino({ enabled: false }),
    (outcome, n) => (counts[outcome] += n),
  );
  return { generation, gemini, router, store, published, bodies, counts };
}

const request = (body: object, inputImages: media.InputImage[] = []): media.GenerateImageRequest => ({
  caller,
  model: 'nano-banana-2',
  body: Buffer.from(JSON.stringify({ model: 'nano-banana-2', prompt: 'a snow leopard', n: 1, response_format: 'url', ...body })),
  inputImages,
});

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected a failure');
}

describe('ImageGeneration', () => {
  it('makes n upstream calls at once, stores each image until its URL expires, and publishes one usage event for n images', async () => {
    const { generation, gemini, store, published, bodies } = setup([png(1), png(2), png(3)]);
    const result = await generation.generate(request({ n: 3, size: '1536x1024', image_size: '2K' }));

    expect(gemini.generate).toHaveBeenCalledTimes(3);
    expect(JSON.parse(bodies[0])).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'a snow leopard' }] }],
      generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '3:2', imageSize: '2K' } },
    });
    expect(result.created).toBe(Math.floor(Date.parse('2026-11-25T12:00:00Z') / 1000));
    expect(result.requested).toBe(3);
    expect(result.images).toHaveLength(3);
    // The URL and the stored bytes expire on the same whole second.
    const expiresAt = result.created + 600;
    for (const image of result.images) {
      expect(image).toMatchObject({ contentType: 'image/png', expiresAt: String(expiresAt) });
      expect(image.data.length).toBe(0);
      const stored = store.objects.get(image.mediaId)!;
      expect(stored.accountId).toBe(caller.accountId);
      expect(stored.expiresAt.getTime()).toBe(expiresAt * 1000);
    }
    expect([...store.objects.values()].map((o) => o.bytes.toString()).sort()).toEqual(['png-1', 'png-2', 'png-3']);
    expect(published).toEqual([
      {
        caller,
        model: 'nano-banana-2',
        provider: 'google',
        upstreamModel: 'gemini-3.1-flash-image',
        inputTokens: 0,
        outputTokens: 0,
        tokensEstimated: false,
        outcome: 'completed',
        streamed: false,
        unit: 'image',
        quantity: 3,
      },
    ]);
  });

  it('returns the bytes for b64_json and stores nothing', async () => {
    const { generation, store, published } = setup([png(7)]);
    const result = await generation.generate(request({ n: 2, response_format: 'b64_json' }));
    expect(result.images.map((i) => i.data.toString())).toEqual(['png-7', 'png-7']);
    expect(result.images.every((i) => i.mediaId === '')).toBe(true);
    expect(store.objects.size).toBe(0);
    expect(published[0].quantity).toBe(2);
  });

  it('delivers and charges what succeeded when some calls failed', async () => {
    const { generation, published, counts } = setup([png(1), new GatewayError(ErrorCode.UpstreamUnavailable, 'down'), png(3)]);
    const result = await generation.generate(request({ n: 3 }));
    expect(result.requested).toBe(3);
    expect(result.images).toHaveLength(2);
    expect(published).toHaveLength(1);
    expect(published[0].quantity).toBe(2);
    expect(counts).toEqual({ delivered: 2, failed: 1 });
  });

  it("fails without charging when every call failed, with the caller's own mistake before an outage", async () => {
    const rejected = new GatewayError(ErrorCode.UpstreamRejected, 'The image was not generated: the safety filters refused it (IMAGE_SAFETY).', {
      status: 400,
    });
    const { generation, published } = setup([new GatewayError(ErrorCode.UpstreamUnavailable, 'down'), rejected]);
    expect(await failure(generation.generate(request({ n: 2 })))).toBe(rejected);
    expect(published).toEqual([]);

    const outage = setup([new GatewayError(ErrorCode.UpstreamUnavailable, 'down')]);
    expect((await failure(outage.generation.generate(request({ n: 2 })))).code).toBe(ErrorCode.UpstreamUnavailable);
    expect(outage.published).toEqual([]);
  });

  it('charges nothing when the images cannot be stored', async () => {
    const { generation, store, published } = setup([png(1)]);
    store.failing = true;
    const error = await failure(generation.generate(request({})));
    expect(error.code).toBe(ErrorCode.ServiceUnavailable);
    expect(error.message).toContain('not charged');
    expect(published).toEqual([]);
  });

  it('charges nothing when the caller cancelled, and passes the abort signal to every call', async () => {
    const { generation, gemini, published } = setup([png(1)]);
    const abort = new AbortController();
    gemini.generate.mockImplementation(async (_e: UpstreamEndpoint, _m: string, _b: string, signal?: AbortSignal) => {
      abort.abort();
      expect(signal?.aborted).toBe(true);
      return { mimeType: 'image/png', data: png(1) };
    });
    expect((await failure(generation.generate(request({ n: 2 }), abort.signal))).code).toBe(ErrorCode.ServiceUnavailable);
    expect(published).toEqual([]);
  });

  it('sends input images after the prompt, and lets the model keep their shape without a size', async () => {
    const { generation, bodies } = setup([png(1)]);
    await generation.generate(request({}, [{ contentType: 'image/jpeg', data: Buffer.from([0xff, 0xd8, 0xff]) }]));
    expect(JSON.parse(bodies[0])).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'a snow leopard' }, { inlineData: { mimeType: 'image/jpeg', data: '/9j/' } }] }],
      generationConfig: { responseModalities: ['IMAGE'], imageConfig: { imageSize: '1K' } },
    });
  });

  it('refuses before any upstream call: unknown or non-image models, a size it cannot draw, a bad image_size', async () => {
    const { generation, gemini } = setup([png(1)]);
    expect(await failure(generation.generate({ ...request({}), model: 'gpt-4.1' }))).toMatchObject({ code: ErrorCode.ModelNotFound, param: 'model' });
    expect(await failure(generation.generate({ ...request({}), model: 'no-such-model' }))).toMatchObject({ code: ErrorCode.ModelNotFound });
    expect(await failure(generation.generate(request({ size: '3000x1000' })))).toMatchObject({ code: ErrorCode.InvalidRequest, param: 'size' });
    expect(await failure(generation.generate(request({ image_size: '8K' })))).toMatchObject({ code: ErrorCode.InvalidRequest, param: 'image_size' });
    expect(await failure(generation.generate({ ...request({}), caller: undefined }))).toMatchObject({ code: ErrorCode.InvalidRequest });
    expect(gemini.generate).not.toHaveBeenCalled();
  });
});
