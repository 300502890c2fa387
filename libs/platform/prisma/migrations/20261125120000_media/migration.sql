-- Media is charged per unit (image, second, track): the ledger row says which, how many, and the price per unit.
ALTER TABLE "ledger_entries" ADD COLUMN "unit" TEXT NOT NULL DEFAULT 'token';
ALTER TABLE "ledger_entries" ADD COLUMN "quantity" BIGINT;
ALTER TABLE "ledger_entries" ADD COLUMN "unit_price_micros" BIGINT;

-- Asynchronous video and music jobs.
CREATE TYPE "media_job_kind" AS ENUM ('VIDEO', 'MUSIC');
CREATE TYPE "media_job_status" AS ENUM ('QUEUED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED');

CREATE TABLE "media_jobs" (
    "id" TEXT NOT NULL,
    "kind" "media_job_kind" NOT NULL,
    "account_id" UUID NOT NULL,
    "api_key_id" UUID NOT NULL,
    "request_id" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "provider" TEXT,
    "status" "media_job_status" NOT NULL DEFAULT 'QUEUED',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "request" JSONB NOT NULL,
    "upstream_task_id" TEXT,
    "result" JSONB,
    "fail_reason" TEXT,
    "lease_owner" TEXT,
    "lease_expires_at" TIMESTAMPTZ(3),
    "next_run_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "media_jobs_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "media_jobs_status_next_run_at_idx" ON "media_jobs"("status", "next_run_at");
CREATE INDEX "media_jobs_account_id_created_at_idx" ON "media_jobs"("account_id", "created_at");

-- Generated media the gateway stores itself, behind expiring URLs.
CREATE TABLE "media_objects" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "account_id" UUID NOT NULL,
    "content_type" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "media_objects_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "media_objects_expires_at_idx" ON "media_objects"("expires_at");
