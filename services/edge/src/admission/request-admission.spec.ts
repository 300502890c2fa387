import type { FastifyReply, FastifyRequest } from 'fastify';
import { ModelCatalog, tokenCostMicros } from '@apitopmix/catalog';
import { checkEmbeddingRequestForModel, estimateEmbeddingTokens, OpenAiEmbeddingRequest, parseOpenAiEmbeddingRequest } from '@apitopmix/dialects/openai-chat';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { AuthService, Caller } from '../auth/auth.service';
import { CreditGateService, Reservation } from '../credit/credit-gate.service';
import { AdmissionService } from '../rate-limit/admission.service';
import { Admission, RateLimitedError } from '../rate-limit/rate-limit.client';
import { RequestAdmission, RequestReader } from './request-admission';

const embeddingsReader: RequestReader<OpenAiEmbeddingRequest, 'embedding'> = {
  kind: 'embedding',
  parse: parseOpenAiEmbeddingRequest,
  model: (request) => request.model,
  estimateTokens: (request) => estimateEmbeddingTokens(request),
  check: checkEmbeddingRequestForModel,
};

const caller: Caller = {
  apiKeyId: 'key-1',
  accountId: 'acct-1',
  tier: 'PRO',
  limits: { requestsPerMinute: 300, tokensPerMinute: 1_000_000 },
  allowedModels: [],
  balance: { balanceMicros: 100_000_000n, seq: 1n },
};

const admitted: Admission = {
  allowed: true,
  degraded: false,
  retryAfterSeconds: 0,
  requests: { limit: 300, remaining: 299, resetSeconds: 60 },
  tokens: { limit: 1_000_000, remaining: 999_000, resetSeconds: 60 },
};

function setup(options: { allowedModels?: string[]; rateLimited?: boolean } = {}) {
  const calls: string[] = [];
  const reserved: bigint[] = [];
  const settled: [string, bigint][] = [];
  const rateSettled: [number, number][] = [];
  const auth = new (class {
    async authenticate() {
      return { ...caller, allowedModels: options.allowedModels ?? [] };
    }
    isModelAllowed(c: Caller, model: string) {
      return c.allowedModels.length === 0 || c.allowedModels.includes(model);
    }
    assertModelAllowed(c: Caller, model: string) {
      if (!this.isModelAllowed(c, model)) throw new GatewayError(ErrorCode.PermissionDenied, 'no', { param: 'model' });
    }
  })() as unknown as AuthService;
  const rateLimits = {
    admit: async (_c: Caller, tokens: number) => {
      calls.push(`admit ${tokens}`);
      if (options.rateLimited) throw new RateLimitedError({ ...admitted, allowed: false, retryAfterSeconds: 3 });
      return admitted;
    },
    settle: (_c: Caller, estimated: number, used: number) => rateSettled.push([estimated, used]),
  } as unknown as AdmissionService;
  const credit = {
    maxCostMicros: CreditGateService.prototype.maxCostMicros,
    authorize: async (_c: Caller, id: string, cost: bigint): Promise<Reservation> => {
      reserved.push(cost);
      return { accountId: caller.accountId, id, amountMicros: cost };
    },
    settle: (reservation: Reservation | undefined, cost: bigint) => reservation && settled.push([reservation.id, cost]),
    release: (reservation: Reservation | undefined) => reservation && settled.push([reservation.id, 0n]),
  } as unknown as CreditGateService;
  const admission = new RequestAdmission(auth, rateLimits, new ModelCatalog(), credit);
  const headers: Record<string, string> = {};
  const reply = { headers: (h: Record<string, string>) => Object.assign(headers, h) } as unknown as FastifyReply;
  const request = (body: unknown) => ({ id: 'req_1', body, headers: { authorization: 'Bearer sk-atm-x' }, query: {} }) as unknown as FastifyRequest;
  return { admission, reply, request, headers, calls, reserved, settled, rateSettled };
}

async function errorOf(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected an error');
}

const price = (id: string) => new ModelCatalog().findOfKind(id, 'embedding')!.price;

describe('RequestAdmission, for embeddings', () => {
  it('admits on the input estimate, reserves its cost at the model’s price, and sets the rate-limit headers', async () => {
    const { admission, reply, request, headers, calls, reserved } = setup();
    const result = await admission.admit(request({ model: 'text-embedding-3-large', input: ['x'.repeat(400), 'abc'] }), reply, embeddingsReader);
    expect(result.model.id).toBe('text-embedding-3-large');
    expect(result.estimatedTokens).toBe(101);
    expect(calls).toEqual(['admit 101']);
    expect(reserved).toEqual([tokenCostMicros(price('text-embedding-3-large'), 101, 0)]);
    expect(headers).toMatchObject({ 'x-ratelimit-limit-requests': '300', 'x-ratelimit-remaining-tokens': '999000', 'x-request-id': 'req_1' });
  });

  it('counts an invalid request against the rate limit, then answers 400 naming the field, reserving nothing', async () => {
    const { admission, reply, request, headers, calls, reserved } = setup();
    const error = await errorOf(admission.admit(request({ model: 'text-embedding-3-small', input: '' }), reply, embeddingsReader));
    expect([error.status, error.param]).toEqual([400, 'input']);
    expect(calls).toEqual(['admit 0']);
    expect(reserved).toEqual([]);
    expect(headers['x-ratelimit-limit-requests']).toBe('300');
  });

  it('answers 404 for an unknown model and for a model of another kind', async () => {
    const { admission, reply, request, reserved } = setup();
    for (const model of ['text-embedding-4-huge', 'gpt-4.1']) {
      const error = await errorOf(admission.admit(request({ model, input: 'x' }), reply, embeddingsReader));
      expect([error.code, error.status, error.param]).toEqual([ErrorCode.ModelNotFound, 404, 'model']);
    }
    expect(reserved).toEqual([]);
  });

  it('answers 403 for a model the key may not use, before the model-specific 400, reserving nothing', async () => {
    const { admission, reply, request, reserved } = setup({ allowedModels: ['text-embedding-3-small'] });
    const error = await errorOf(admission.admit(request({ model: 'text-embedding-ada-002', input: 'x', dimensions: 8 }), reply, embeddingsReader));
    expect([error.code, error.status]).toEqual([ErrorCode.PermissionDenied, 403]);
    expect(reserved).toEqual([]);
  });

  it('answers 400 naming dimensions for a model that cannot shorten, reserving nothing', async () => {
    const { admission, reply, request, reserved } = setup();
    const error = await errorOf(admission.admit(request({ model: 'text-embedding-ada-002', input: 'x', dimensions: 256 }), reply, embeddingsReader));
    expect([error.status, error.param]).toEqual([400, 'dimensions']);
    expect(reserved).toEqual([]);
  });

  it('releases the reservation of a rate-limited request', async () => {
    const { admission, reply, request, reserved, settled } = setup({ rateLimited: true });
    const error = await errorOf(admission.admit(request({ model: 'text-embedding-3-small', input: 'x' }), reply, embeddingsReader));
    expect(error.code).toBe(ErrorCode.RateLimited);
    expect(reserved).toHaveLength(1);
    expect(settled).toEqual([['req_1', 0n]]);
  });

  it('settles with the real usage after the call, and releases the credit when the call fails', async () => {
    const { admission, reply, request, settled, rateSettled } = setup();
    const ok = await admission.admit(request({ model: 'text-embedding-3-small', input: 'x'.repeat(40) }), reply, embeddingsReader);
    await admission.call(ok, async () => ({ usage: { inputTokens: 9, outputTokens: 0, estimated: false } }));
    expect(rateSettled).toEqual([[10, 9]]);
    expect(settled).toEqual([['req_1', tokenCostMicros(price('text-embedding-3-small'), 9, 0)]]);

    const failing = await admission.admit(request({ model: 'text-embedding-3-small', input: 'y' }), reply, embeddingsReader);
    await expect(
      admission.call(failing, async () => {
        throw new GatewayError(ErrorCode.UpstreamUnavailable, 'down');
      }),
    ).rejects.toThrow('down');
    expect(settled.at(-1)).toEqual(['req_1', 0n]);
  });
});
