-- Deployments that share one database (a developer's platform and test runs, or several environments) keep their
-- media jobs apart: a job belongs to the queue of the media-jobs that stored it (its KAFKA_TOPIC_PREFIX), and only
-- that deployment's workers claim it and only its relay publishes its events.
ALTER TABLE "media_jobs" ADD COLUMN "queue" TEXT NOT NULL DEFAULT '';
ALTER TABLE "media_job_events" ADD COLUMN "queue" TEXT NOT NULL DEFAULT '';

CREATE INDEX "media_jobs_queue_status_next_run_at_idx" ON "media_jobs"("queue", "status", "next_run_at");

DROP INDEX "media_job_events_unpublished_idx";
CREATE INDEX "media_job_events_unpublished_idx" ON "media_job_events"("queue", "created_at") WHERE "published_at" IS NULL;
