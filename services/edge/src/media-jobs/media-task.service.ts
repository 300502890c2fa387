import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ModelCatalog, musicCostMicros, MusicModelEntry, videoCostMicros, VideoModelEntry } from '@apitopmix/catalog';
import { media } from '@apitopmix/contracts';
import {
  MediaTaskView,
  MusicJobRequest,
  parseMusicRequest,
  parseVideoRequest,
  resolveVideoRequest,
  TaskStatus,
  VideoJobRequest,
} from '@apitopmix/dialects/media-tasks';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { RequestAdmission } from '../admission/request-admission';
import { extractApiKey } from '../auth/api-key-extractor';
import { AuthService } from '../auth/auth.service';
import { CreditGateService } from '../credit/credit-gate.service';
import { AdmissionService } from '../rate-limit/admission.service';
import { rateLimitHeaders } from '../rate-limit/rate-limit.client';
import { MediaJobsClient } from './media-jobs.client';

/**
 * How many tracks one Suno generation returns: the most a music job can deliver, so what is reserved for it. Billing
 * charges the tracks actually delivered.
 */
export const TRACKS_PER_GENERATION = 2;

type Kind = 'video' | 'music';

interface Validated {
  model: VideoModelEntry | MusicModelEntry;
  request: VideoJobRequest | MusicJobRequest;
  costMicros: bigint;
}

/**
 * Video and music submissions and polls at the edge. A submission is authenticated, validated, admitted by the rate
 * limiter (one request; media has no tokens) and, at the same time, the most the job can cost is reserved with the
 * credit gate (video: its duration at the price per second; music: a generation's tracks at the price per track),
 * under the request's id. The reservation then belongs to the job: billing releases it when the job's success is
 * charged or its failure announced (media.job-updates.v1), so a job never has to finish within one HTTP request.
 * If media-jobs did not store the job, the credit is released here at once. A poll is one rate-limited request.
 */
@Injectable()
export class MediaTaskService {
  constructor(
    private readonly auth: AuthService,
    private readonly rateLimits: AdmissionService,
    private readonly credit: CreditGateService,
    private readonly catalog: ModelCatalog,
    private readonly jobs: MediaJobsClient,
    private readonly admission: RequestAdmission,
  ) {}

  async submit(kind: Kind, req: FastifyRequest, reply: FastifyReply): Promise<MediaTaskView> {
    const caller = await this.auth.authenticate(extractApiKey(req));
    let validated: Validated | undefined;
    let invalid: unknown;
    try {
      validated = this.validate(kind, req.body);
    } catch (error) {
      invalid = error;
    }
    const priced = validated && this.auth.isModelAllowed(caller, validated.model.id) ? validated : undefined;
    // The two checks do not depend on each other: one round trip's time for both.
    const [admission, reservation] = await Promise.allSettled([
      this.rateLimits.admit(caller, 0),
      priced ? this.credit.authorize(caller, req.id, priced.costMicros) : Promise.resolve(undefined),
    ]);
    if (admission.status === 'rejected') {
      if (reservation.status === 'fulfilled') this.credit.release(reservation.value);
      throw admission.reason;
    }
    reply.headers({ ...rateLimitHeaders(admission.value), 'x-request-id': req.id });
    if (!validated) throw invalid;
    this.auth.assertModelAllowed(caller, validated.model.id);
    if (reservation.status === 'rejected') throw reservation.reason;
    try {
      const job = await this.jobs.submitJob({
        caller: this.admission.callerContext(req, caller),
        kind: kind === 'video' ? media.JobKind.JOB_KIND_VIDEO : media.JobKind.JOB_KIND_MUSIC,
        model: validated.model.id,
        body: Buffer.from(JSON.stringify(validated.request)),
      });
      return toView(job);
    } catch (error) {
      // No job was stored (or none the client will hear of): nothing will ever settle this credit.
      this.credit.release(reservation.value);
      throw error;
    }
  }

  /** The caller's own job of this kind; any other id (another account's, another kind's) is 404. */
  async get(kind: Kind, taskId: string, req: FastifyRequest, reply: FastifyReply): Promise<MediaTaskView> {
    const caller = await this.auth.authenticate(extractApiKey(req));
    const admission = await this.rateLimits.admit(caller, 0);
    reply.headers({ ...rateLimitHeaders(admission), 'x-request-id': req.id });
    const job = await this.jobs.getJob({ caller: this.admission.callerContext(req, caller), jobId: taskId });
    const wanted = kind === 'video' ? media.JobKind.JOB_KIND_VIDEO : media.JobKind.JOB_KIND_MUSIC;
    if (job.kind !== wanted) throw new GatewayError(ErrorCode.NotFound, `No task found with id '${taskId}'.`);
    return toView(job);
  }

  private validate(kind: Kind, body: unknown): Validated {
    if (kind === 'video') {
      const parsed = parseVideoRequest(body);
      const model = this.catalog.findOfKind(parsed.model, 'video');
      if (!model) throw modelNotFound(parsed.model);
      const request = resolveVideoRequest(parsed, model);
      return { model, request, costMicros: videoCostMicros(model.price, request.duration) };
    }
    const parsed = parseMusicRequest(body);
    const model = this.catalog.findOfKind(parsed.model, 'music');
    if (!model) throw modelNotFound(parsed.model);
    return { model, request: { ...parsed, model: model.id }, costMicros: musicCostMicros(model.price, TRACKS_PER_GENERATION) };
  }
}

const statusOf: Partial<Record<media.JobStatus, TaskStatus>> = {
  [media.JobStatus.JOB_STATUS_QUEUED]: 'queued',
  [media.JobStatus.JOB_STATUS_IN_PROGRESS]: 'in_progress',
  [media.JobStatus.JOB_STATUS_SUCCEEDED]: 'succeeded',
  [media.JobStatus.JOB_STATUS_FAILED]: 'failed',
};

export function toView(job: media.Job): MediaTaskView {
  const finishedAtMs = Number(job.finishedAtMs);
  return {
    id: job.id,
    status: statusOf[job.status] ?? 'queued',
    progress: job.progressPercent,
    model: job.model,
    createdAtMs: Number(job.createdAtMs),
    ...(finishedAtMs > 0 ? { finishedAtMs } : {}),
    ...(job.result.length > 0 ? { result: JSON.parse(Buffer.from(job.result).toString('utf8')) as unknown } : {}),
    ...(job.failReason ? { failReason: job.failReason } : {}),
  };
}

function modelNotFound(model: string): GatewayError {
  return new GatewayError(ErrorCode.ModelNotFound, `The model '${model}' does not exist or you do not have access to it.`, { param: 'model' });
}
