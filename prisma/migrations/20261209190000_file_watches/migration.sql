-- A pipeline runs when a file whose name matches its watch is uploaded (issue 19, item 2); each upload acts once.
CREATE TABLE "pipeline_file_watches" (
    "pipeline_id" UUID NOT NULL,
    "pattern" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "pipeline_file_watches_pkey" PRIMARY KEY ("pipeline_id")
);
ALTER TABLE "pipeline_file_watches" ADD CONSTRAINT "pipeline_file_watches_pipeline_id_fkey" FOREIGN KEY ("pipeline_id") REFERENCES "pipelines"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "file_triggers" (
    "pipeline_id" UUID NOT NULL,
    "file_id" UUID NOT NULL,
    "checksum" TEXT NOT NULL,
    "run_id" UUID,
    "coalesced" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "file_triggers_pkey" PRIMARY KEY ("pipeline_id", "file_id", "checksum")
);
CREATE INDEX "file_triggers_file_id_idx" ON "file_triggers"("file_id");
ALTER TABLE "file_triggers" ADD CONSTRAINT "file_triggers_pipeline_id_fkey" FOREIGN KEY ("pipeline_id") REFERENCES "pipelines"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "file_triggers" ADD CONSTRAINT "file_triggers_file_id_fkey" FOREIGN KEY ("file_id") REFERENCES "data_files"("id") ON DELETE CASCADE ON UPDATE CASCADE;
