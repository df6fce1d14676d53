-- Where a run and each of its nodes executed (DuckDB in the worker, or inside a PostgreSQL connection), shown on the
-- run page. Runs recorded before this have none.
ALTER TABLE "runs" ADD COLUMN "engine" TEXT,
ADD COLUMN "engine_reason" TEXT,
ADD COLUMN "engine_connection_id" UUID;

ALTER TABLE "node_runs" ADD COLUMN "ran_in" TEXT;

-- Deleting a connection keeps its runs: they only lose the link (the page then says "a deleted connection").
ALTER TABLE "runs" ADD CONSTRAINT "runs_engine_connection_id_fkey" FOREIGN KEY ("engine_connection_id") REFERENCES "connections"("id") ON DELETE SET NULL ON UPDATE CASCADE;
