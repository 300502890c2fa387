-- Media jobs: every state change bumps the job's version, and a worker marks the moment it begins an upstream
-- submission (so a worker taking the job over knows a submission may have reached the upstream).
ALTER TABLE "media_jobs" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "media_jobs" ADD COLUMN "submit_started_at" TIMESTAMPTZ(3);

-- The transactional outbox of media.job-updates.v1: written in the same transaction as the state change it
-- describes, published to Kafka afterwards, marked once Kafka acknowledged it.
CREATE TABLE "media_job_events" (
    "id" UUID NOT NULL,
    "job_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "media_job_events_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "media_job_events_job_id_version_key" ON "media_job_events"("job_id", "version");
CREATE INDEX "media_job_events_unpublished_idx" ON "media_job_events"("created_at") WHERE "published_at" IS NULL;

ALTER TABLE "media_job_events" ADD CONSTRAINT "media_job_events_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "media_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
