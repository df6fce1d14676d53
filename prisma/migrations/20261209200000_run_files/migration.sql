-- The files an onlyNew file source read in each run, by id and content checksum (issue 19, item 1): processed while
-- their range (run_watermarks) is stored or recovered, so a run that died before its sinks committed reads them again.
CREATE TABLE "run_files" (
    "run_id" UUID NOT NULL,
    "node_id" TEXT NOT NULL,
    "file_id" UUID NOT NULL,
    "checksum" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "forgotten" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "run_files_pkey" PRIMARY KEY ("run_id","node_id","file_id")
);

CREATE INDEX "run_files_file_id_idx" ON "run_files"("file_id");

ALTER TABLE "run_files" ADD CONSTRAINT "run_files_run_id_node_id_fkey" FOREIGN KEY ("run_id", "node_id") REFERENCES "run_watermarks"("run_id", "node_id") ON DELETE CASCADE ON UPDATE CASCADE;
