-- Parameter values a schedule passes to each of its runs.
ALTER TABLE "schedules" ADD COLUMN "params" JSONB NOT NULL DEFAULT '{}';

-- One row per data quality rule of a check node, per run: whether it passed, how many rows failed, a few of them.
CREATE TABLE "run_checks" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "node_id" TEXT NOT NULL,
    "rule_index" INTEGER NOT NULL,
    "rule" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "failing_rows" BIGINT NOT NULL,
    "rows_checked" BIGINT NOT NULL,
    "message" TEXT NOT NULL,
    "samples" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "run_checks_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "run_checks_run_id_node_id_rule_index_key" ON "run_checks"("run_id", "node_id", "rule_index");
ALTER TABLE "run_checks" ADD CONSTRAINT "run_checks_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
