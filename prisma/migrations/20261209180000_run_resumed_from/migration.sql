-- A resumed run names the failed run whose stored node outputs it reuses (issue 19, item 3).
ALTER TABLE "runs" ADD COLUMN "resumed_from_id" UUID;
ALTER TABLE "runs" ADD CONSTRAINT "runs_resumed_from_id_fkey" FOREIGN KEY ("resumed_from_id") REFERENCES "runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;
