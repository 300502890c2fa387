import type { FastifyReply, FastifyRequest } from 'fastify';
import { ModelCatalog } from '@apitopmix/catalog';
import { media } from '@apitopmix/contracts';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { RequestAdmission } from '../admission/request-admission';
import { AuthService, Caller } from '../auth/auth.service';
import { CreditGateService, Reservation } from '../credit/credit-gate.service';
import { AdmissionService } from '../rate-limit/admission.service';
import { Admission } from '../rate-limit/rate-limit.client';
import { MediaJobsClient } from './media-jobs.client';
import { MediaTaskService, toView } from './media-task.service';

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
  tokens: { limit: 1_000_000, remaining: 1_000_000, resetSeconds: 60 },
};

const job = (over: Partial<media.Job> = {}): media.Job => ({
  id: 'task_1',
  kind: media.JobKind.JOB_KIND_VIDEO,
  status: media.JobStatus.JOB_STATUS_QUEUED,
  progressPercent: 0,
  result: Buffer.alloc(0),
  failReason: '',
  model: 'grok-video-3',
  createdAtMs: '1764000000000',
  finishedAtMs: '0',
  ...over,
});

function setup(options: { allowedModels?: string[]; submitFails?: boolean; stored?: media.Job } = {}) {
  const calls: string[] = [];
  const submitted: media.SubmitJobRequest[] = [];
  const auth = {
    authenticate: async () => ({ ...caller, allowedModels: options.allowedModels ?? [] }),
    isModelAllowed: (c: Caller, model: string) => c.allowedModels.length === 0 || c.allowedModels.includes(model),
    assertModelAllowed: (c: Caller, model: string) => {
      if (!(c.allowedModels.length === 0 || c.allowedModels.includes(model))) throw new GatewayError(ErrorCode.PermissionDenied, 'no');
    },
  } as unknown as AuthService;
  const rateLimits = { admit: async (_c: Caller, tokens: number) => (calls.push(`admit ${tokens}`), admitted) } as unknown as AdmissionService;
  const credit = {
    authorize: async (_c: Caller, id: string, amount: bigint): Promise<Reservation> => {
      calls.push(`reserve ${id} ${amount}`);
      return { accountId: caller.accountId, id, amountMicros: amount };
    },
    release: (reservation: Reservation | undefined) => calls.push(`release ${reservation?.id}`),
  } as unknown as CreditGateService;
  const jobs = {
    submitJob: async (request: media.SubmitJobRequest) => {
      submitted.push(request);
      if (options.submitFails) throw new GatewayError(ErrorCode.ServiceUnavailable, 'media-jobs is away');
      return job({ kind: request.kind, model: request.model });
    },
    getJob: async () => options.stored ?? job(),
  } as unknown as MediaJobsClient;
  const admission = new RequestAdmission(auth, rateLimits, new ModelCatalog(), credit);
  const service = new MediaTaskService(auth, rateLimits, credit, new ModelCatalog(), jobs, admission);
  const req = (body: unknown) => ({ id: 'req_42', body, headers: { authorization: 'Bearer sk-atm-x' }, query: {} }) as unknown as FastifyRequest;
  const reply = { headers: jest.fn() } as unknown as FastifyReply;
  return { service, calls, submitted, req, reply };
}

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('MediaTaskService.submit', () => {
  it('video: reserves duration × $0.030 under the request id and sends the validated request with defaults', async () => {
    const { service, calls, submitted, req, reply } = setup();
    const view = await service.submit('video', req({ model: 'grok-video-3', prompt: 'a cat' }), reply);
    expect(view).toMatchObject({ id: 'task_1', status: 'queued' });
    expect(calls).toEqual(['admit 0', 'reserve req_42 240000']);
    expect(submitted[0]).toMatchObject({ kind: media.JobKind.JOB_KIND_VIDEO, model: 'grok-video-3', caller: { requestId: 'req_42', accountId: 'acct-1' } });
    expect(JSON.parse(Buffer.from(submitted[0].body).toString())).toEqual({
      model: 'grok-video-3',
      prompt: 'a cat',
      duration: 8,
      resolution: '480p',
      aspect_ratio: '16:9',
    });
  });

  it('video: 15 s reserves $0.45', async () => {
    const { service, calls, req, reply } = setup();
    await service.submit('video', req({ model: 'grok-video-3', prompt: 'a cat', duration: 15 }), reply);
    expect(calls).toContain('reserve req_42 450000');
  });

  it('music: reserves the two tracks a generation returns, for the default Suno model', async () => {
    const { service, calls, submitted, req, reply } = setup();
    await service.submit('music', req({ prompt: 'rain', style: 'lo-fi' }), reply);
    expect(calls).toEqual(['admit 0', 'reserve req_42 80000']);
    expect(submitted[0]).toMatchObject({ kind: media.JobKind.JOB_KIND_MUSIC, model: 'suno-v5' });
    expect(JSON.parse(Buffer.from(submitted[0].body).toString())).toEqual({ model: 'suno-v5', prompt: 'rain', style: 'lo-fi', make_instrumental: false });
  });

  it('an invalid request counts against the rate limit, reserves nothing and is a 400 naming the field', async () => {
    const { service, calls, submitted, req, reply } = setup();
    const error = await rejection(service.submit('video', req({ model: 'grok-video-3', prompt: 'x', duration: 30 }), reply));
    expect([error.status, error.param]).toEqual([400, 'duration']);
    expect(calls).toEqual(['admit 0']);
    expect(submitted).toEqual([]);
  });

  it('an unknown model is 404 model_not_found; a music model on /v1/videos is unknown there', async () => {
    const { service, req, reply } = setup();
    expect((await rejection(service.submit('video', req({ model: 'suno-v5', prompt: 'x' }), reply))).code).toBe(ErrorCode.ModelNotFound);
    expect((await rejection(service.submit('music', req({ prompt: 'x', model: 'grok-video-3' }), reply))).code).toBe(ErrorCode.ModelNotFound);
  });

  it('a model the key may not use is 403 and reserves nothing', async () => {
    const { service, calls, req, reply } = setup({ allowedModels: ['gpt-4.1'] });
    expect((await rejection(service.submit('video', req({ model: 'grok-video-3', prompt: 'x' }), reply))).status).toBe(403);
    expect(calls).toEqual(['admit 0']);
  });

  it('releases the credit when media-jobs did not store the job', async () => {
    const { service, calls, req, reply } = setup({ submitFails: true });
    expect((await rejection(service.submit('video', req({ model: 'grok-video-3', prompt: 'x' }), reply))).status).toBe(503);
    expect(calls).toEqual(['admit 0', 'reserve req_42 240000', 'release req_42']);
  });
});

describe('MediaTaskService.get', () => {
  it('answers the caller’s job of the endpoint’s kind, and 404 for the other kind', async () => {
    const music = job({ id: 'suno_1', kind: media.JobKind.JOB_KIND_MUSIC, model: 'suno-v5' });
    const { service, req, reply } = setup({ stored: music });
    expect((await service.get('music', 'suno_1', req(undefined), reply)).id).toBe('suno_1');
    expect((await rejection(service.get('video', 'suno_1', req(undefined), reply))).code).toBe(ErrorCode.NotFound);
  });
});

describe('toView', () => {
  it('reads status, times and the result', () => {
    const view = toView(
      job({
        status: media.JobStatus.JOB_STATUS_SUCCEEDED,
        progressPercent: 100,
        finishedAtMs: '1764000060000',
        result: Buffer.from(JSON.stringify({ output: 'https://v/x.mp4', duration: 8 })),
      }),
    );
    expect(view).toEqual({
      id: 'task_1',
      status: 'succeeded',
      progress: 100,
      model: 'grok-video-3',
      createdAtMs: 1_764_000_000_000,
      finishedAtMs: 1_764_000_060_000,
      result: { output: 'https://v/x.mp4', duration: 8 },
    });
    expect(toView(job({ status: media.JobStatus.JOB_STATUS_FAILED, failReason: 'x' }))).toMatchObject({ status: 'failed', failReason: 'x' });
  });
});
