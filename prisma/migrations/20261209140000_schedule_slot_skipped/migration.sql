-- Every due slot of a schedule is recorded, also those that start no run on purpose: the schedule's previous run
-- was still queued or running (a schedule never overlaps itself), or the slot was missed while no worker ran.
ALTER TABLE "schedule_slots" ADD COLUMN "skipped" TEXT;
