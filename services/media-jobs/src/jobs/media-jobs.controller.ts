import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { media } from '@apitopmix/contracts';
import { JobSubmissionService } from './job-submission.service';

/** MediaJobsService's asynchronous half: SubmitJob and GetJob (images have their own controller). */
@Controller()
export class MediaJobsController {
  constructor(private readonly jobs: JobSubmissionService) {}

  @GrpcMethod('MediaJobsService', 'SubmitJob')
  submitJob(request: media.SubmitJobRequest): Promise<media.Job> {
    return this.jobs.submit(request);
  }

  @GrpcMethod('MediaJobsService', 'GetJob')
  getJob(request: media.GetJobRequest): Promise<media.Job> {
    return this.jobs.get(request);
  }
}
