-- Run liveness: which worker holds a run, its heartbeat (a reaper fails runs whose worker died),
-- cancellation requests, and the queue job carrying the run.
ALTER TABLE "runs" ADD COLUMN "job_id" TEXT;
ALTER TABLE "runs" ADD COLUMN "worker_id" TEXT;
ALTER TABLE "runs" ADD COLUMN "heartbeat_at" TIMESTAMPTZ(3);
ALTER TABLE "runs" ADD COLUMN "cancel_requested_at" TIMESTAMPTZ(3);

-- The built-in "Sluice warehouse" connection loads into this schema of Sluice's own database.
CREATE SCHEMA IF NOT EXISTS "warehouse";
