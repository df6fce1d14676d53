-- "Run pipeline_id after after_pipeline_id succeeds."
CREATE TABLE "pipeline_triggers" (
    "pipeline_id" UUID NOT NULL,
    "after_pipeline_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "pipeline_triggers_pkey" PRIMARY KEY ("pipeline_id", "after_pipeline_id")
);
CREATE INDEX "pipeline_triggers_after_pipeline_id_idx" ON "pipeline_triggers"("after_pipeline_id");
ALTER TABLE "pipeline_triggers" ADD CONSTRAINT "pipeline_triggers_pipeline_id_fkey" FOREIGN KEY ("pipeline_id") REFERENCES "pipelines"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "pipeline_triggers" ADD CONSTRAINT "pipeline_triggers_after_pipeline_id_fkey" FOREIGN KEY ("after_pipeline_id") REFERENCES "pipelines"("id") ON DELETE CASCADE ON UPDATE CASCADE;
