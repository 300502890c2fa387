import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { media } from '@apitopmix/contracts';
import { callUnary, createGrpcClient } from '@apitopmix/platform/grpc';
import { CONFIG } from '@apitopmix/platform/nest';
import { EdgeConfig } from '../config/edge.config';

/** The edge's side of media-jobs' asynchronous jobs: SubmitJob and GetJob, each a short database operation. */
@Injectable()
export class MediaJobsClient implements OnModuleDestroy {
  private readonly client: media.MediaJobsServiceClient;

  constructor(@Inject(CONFIG) private readonly config: EdgeConfig) {
    this.client = createGrpcClient(media.MediaJobsServiceClient, config.MEDIA_JOBS_GRPC_URL);
  }

  submitJob(request: media.SubmitJobRequest): Promise<media.Job> {
    return callUnary(this.client, this.client.submitJob, request, this.config.MEDIA_JOBS_DEADLINE_MS, 'media-jobs');
  }

  getJob(request: media.GetJobRequest): Promise<media.Job> {
    return callUnary(this.client, this.client.getJob, request, this.config.MEDIA_JOBS_DEADLINE_MS, 'media-jobs');
  }

  onModuleDestroy(): void {
    this.client.close();
  }
}
