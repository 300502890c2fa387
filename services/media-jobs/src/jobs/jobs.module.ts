import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ModelCatalog } from '@apitopmix/catalog';
import { createKafka } from '@apitopmix/platform/kafka';
import { createPrismaClient } from '@apitopmix/platform/prisma';
import { createUpstreamAgent } from '@apitopmix/providers/core';
import { MediaJobsConfig } from '../config/media-jobs.config';
import { JobMetrics } from './job-metrics';
import { JobRunner } from './job-runner';
import { JobSubmissionService } from './job-submission.service';
import { JOBS_KAFKA, JobUpdateRelay, RELAY_SETTINGS } from './job-update-relay';
import { JOB_WORKER_SETTINGS, JOBS_LOGGER, JobWorker } from './job-worker';
import { JOBS_PRISMA, JOBS_QUEUE, MediaJobRepository } from './media-job.repository';
import { MEDIA_UPSTREAMS, mediaEndpointsFromEnv, MediaUpstreams } from './media-upstreams';
import { MediaJobsController } from './media-jobs.controller';

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Video and music jobs: the gRPC handlers, the worker that owns and drives jobs, and the relay that publishes their
 * updates. Its own Prisma pool and Kafka client, so it needs nothing from the rest of the service.
 */
@Module({})
export class JobsModule {
  static register(config: MediaJobsConfig, logger: Logger, metrics: Registry): DynamicModule {
    const upstreams = new MediaUpstreams(mediaEndpointsFromEnv(), createUpstreamAgent(), config.JOB_UPSTREAM_TIMEOUT_MS);
    return {
      module: JobsModule,
      controllers: [MediaJobsController],
      providers: [
        { provide: JOBS_LOGGER, useValue: logger },
        // Deployments sharing one database (a developer's platform, test runs) are told apart by their topic prefix.
        { provide: JOBS_QUEUE, useValue: config.KAFKA_TOPIC_PREFIX },
        { provide: JOBS_PRISMA, useFactory: () => createPrismaClient(config.DATABASE_URL, { poolMax: 5 }) },
        { provide: JOBS_KAFKA, useValue: createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'apitopmix-media-jobs', logger }) },
        { provide: MEDIA_UPSTREAMS, useValue: upstreams },
        { provide: ModelCatalog, useValue: new ModelCatalog() },
        { provide: JobMetrics, useValue: new JobMetrics(metrics) },
        { provide: RELAY_SETTINGS, useValue: { topicPrefix: config.KAFKA_TOPIC_PREFIX, intervalMs: config.JOB_OUTBOX_INTERVAL_MS } },
        {
          provide: JOB_WORKER_SETTINGS,
          useValue: {
            workerId: config.JOB_WORKER_ID,
            claimIntervalMs: config.JOB_POLL_INTERVAL_MS,
            leaseMs: config.JOB_LEASE_MS,
            concurrency: config.JOB_CONCURRENCY,
          },
        },
        MediaJobRepository,
        JobUpdateRelay,
        {
          provide: JobRunner,
          inject: [MediaJobRepository, JobUpdateRelay],
          useFactory: (repo: MediaJobRepository, relay: JobUpdateRelay) =>
            new JobRunner(
              repo,
              upstreams,
              {
                pollIntervalMs: config.JOB_POLL_INTERVAL_MS,
                pollMaxIntervalMs: config.JOB_POLL_MAX_INTERVAL_MS,
                leaseMs: config.JOB_LEASE_MS,
                deadlineMs: config.JOB_DEADLINE_MS,
                submitMaxAttempts: config.JOB_SUBMIT_MAX_ATTEMPTS,
              },
              { now: () => Date.now(), sleep, random: Math.random },
              logger,
              () => relay.wake(),
            ),
        },
        JobWorker,
        JobSubmissionService,
      ],
    };
  }
}
