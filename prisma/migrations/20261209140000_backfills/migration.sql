-- Backfills: a range of dates run one slot at a time through a date parameter, at most `concurrency` at once.
CREATE TABLE "backfills" (
    "id" UUID NOT NULL,
    "pipeline_id" UUID NOT NULL,
    "parameter" TEXT NOT NULL,
    "from_date" TEXT NOT NULL,
    "to_date" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "concurrency" INTEGER NOT NULL,
    "version_number" INTEGER NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "backfills_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "backfills_pipeline_id_created_at_idx" ON "backfills"("pipeline_id", "created_at");

ALTER TABLE "backfills" ADD CONSTRAINT "backfills_pipeline_id_fkey" FOREIGN KEY ("pipeline_id") REFERENCES "pipelines"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A run of a backfill: its slot's date and its lane (the queue lets one run per lane be active at once).
ALTER TABLE "runs" ADD COLUMN "backfill_id" UUID,
ADD COLUMN "backfill_slot" TEXT,
ADD COLUMN "backfill_lane" INTEGER;

CREATE INDEX "runs_backfill_id_idx" ON "runs"("backfill_id");

ALTER TABLE "runs" ADD CONSTRAINT "runs_backfill_id_fkey" FOREIGN KEY ("backfill_id") REFERENCES "backfills"("id") ON DELETE CASCADE ON UPDATE CASCADE;
