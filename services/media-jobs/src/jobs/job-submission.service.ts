import { Inject, Injectable } from '@nestjs/common';
import { ModelCatalog } from '@apitopmix/catalog';
import { common, media } from '@apitopmix/contracts';
import { parseMusicRequest, parseVideoRequest, resolveVideoRequest } from '@apitopmix/dialects/media-tasks';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { newJobId } from './job-id';
import { JobUpdateRelay } from './job-update-relay';
import { JobWorker } from './job-worker';
import { JobKind, JobRecord, MediaJobRepository } from './media-job.repository';
import { MEDIA_UPSTREAMS, MediaUpstreamSource } from './media-upstreams';

/**
 * SubmitJob and GetJob. A submission is validated again (the edge did it first; this service trusts no caller),
 * stored with its first event in one statement, and only then answered: a client never hears of a job that is not
 * in Postgres. The worker and the relay are woken so the job starts at once.
 */
@Injectable()
export class JobSubmissionService {
  constructor(
    private readonly repo: MediaJobRepository,
    private readonly catalog: ModelCatalog,
    @Inject(MEDIA_UPSTREAMS) private readonly upstreams: MediaUpstreamSource,
    private readonly worker: JobWorker,
    private readonly relay: JobUpdateRelay,
  ) {}

  async submit(request: media.SubmitJobRequest): Promise<media.Job> {
    const caller = requireCaller(request.caller);
    const body = parseJson(request.body);
    const kind: JobKind = request.kind === media.JobKind.JOB_KIND_VIDEO ? 'VIDEO' : request.kind === media.JobKind.JOB_KIND_MUSIC ? 'MUSIC' : fail();
    const { model, validated } = kind === 'VIDEO' ? this.video(body) : this.music(body);
    if (!this.upstreams.configured(model.provider)) {
      throw new GatewayError(ErrorCode.ServiceUnavailable, `No upstream provider is configured for ${model.id}.`);
    }
    const job = await this.repo.create({
      id: newJobId(kind),
      kind,
      accountId: caller.accountId,
      apiKeyId: caller.apiKeyId,
      requestId: caller.requestId,
      model: model.id,
      provider: model.provider,
      upstreamModel: model.upstreamModel,
      request: validated,
    });
    this.worker.wake();
    this.relay.wake();
    return toJobMessage(job);
  }

  async get(request: media.GetJobRequest): Promise<media.Job> {
    const caller = requireCaller(request.caller);
    const job = request.jobId ? await this.repo.findForAccount(request.jobId, caller.accountId) : undefined;
    if (!job) throw new GatewayError(ErrorCode.NotFound, `No task found with id '${request.jobId}'.`);
    return toJobMessage(job);
  }

  private video(body: unknown) {
    const parsed = parseVideoRequest(body);
    const model = this.catalog.findOfKind(parsed.model, 'video');
    if (!model) throw modelNotFound(parsed.model);
    return { model, validated: resolveVideoRequest(parsed, model) };
  }

  private music(body: unknown) {
    const parsed = parseMusicRequest(body);
    const model = this.catalog.findOfKind(parsed.model, 'music');
    if (!model) throw modelNotFound(parsed.model);
    return { model, validated: { ...parsed, model: model.id } };
  }
}

const statusOf: Record<JobRecord['status'], media.JobStatus> = {
  QUEUED: media.JobStatus.JOB_STATUS_QUEUED,
  IN_PROGRESS: media.JobStatus.JOB_STATUS_IN_PROGRESS,
  SUCCEEDED: media.JobStatus.JOB_STATUS_SUCCEEDED,
  FAILED: media.JobStatus.JOB_STATUS_FAILED,
};

export function toJobMessage(job: JobRecord): media.Job {
  return {
    id: job.id,
    kind: job.kind === 'VIDEO' ? media.JobKind.JOB_KIND_VIDEO : media.JobKind.JOB_KIND_MUSIC,
    status: statusOf[job.status],
    progressPercent: job.progress,
    result: job.result === null || job.result === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(job.result)),
    failReason: job.failReason ?? '',
    model: job.model,
    createdAtMs: String(job.createdAt.getTime()),
    finishedAtMs: String(job.finishedAt?.getTime() ?? 0),
  };
}

function requireCaller(caller: common.CallerContext | undefined): common.CallerContext {
  if (!caller?.accountId || !caller.apiKeyId || !caller.requestId) throw GatewayError.invalid('The caller is missing.');
  return caller;
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    throw GatewayError.invalid('The request body is not valid JSON.');
  }
}

function modelNotFound(model: string): GatewayError {
  return new GatewayError(ErrorCode.ModelNotFound, `The model '${model}' does not exist or you do not have access to it.`, { param: 'model' });
}

function fail(): never {
  throw GatewayError.invalid('The job kind is missing.');
}
