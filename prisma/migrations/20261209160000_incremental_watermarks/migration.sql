-- Incremental loads (docs/incremental.md): where each incremental source of a pipeline has read up to, and the range
-- each run's incremental sources read, recorded before any sink commits so a run that died can be settled later.
CREATE TABLE "source_watermarks" (
    "pipeline_id" UUID NOT NULL,
    "node_id" TEXT NOT NULL,
    "column" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "run_id" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "source_watermarks_pkey" PRIMARY KEY ("pipeline_id","node_id")
);

CREATE TABLE "run_watermarks" (
    "run_id" UUID NOT NULL,
    "node_id" TEXT NOT NULL,
    "column" TEXT NOT NULL,
    "before" TEXT,
    "after" TEXT,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_watermarks_pkey" PRIMARY KEY ("run_id","node_id")
);

CREATE INDEX "run_watermarks_state_idx" ON "run_watermarks"("state");

ALTER TABLE "source_watermarks" ADD CONSTRAINT "source_watermarks_pipeline_id_fkey" FOREIGN KEY ("pipeline_id") REFERENCES "pipelines"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "run_watermarks" ADD CONSTRAINT "run_watermarks_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
