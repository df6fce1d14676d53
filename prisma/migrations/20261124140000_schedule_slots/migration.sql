-- Schedules remember the last slot they handled and what to do with slots missed while nothing ran;
-- schedule_slots is the claim that makes each slot fire once, however many workers see it.
ALTER TABLE "schedules" ADD COLUMN "missed" TEXT NOT NULL DEFAULT 'catch_up_once';
ALTER TABLE "schedules" ADD COLUMN "last_slot_at" TIMESTAMPTZ(3);

CREATE TABLE "schedule_slots" (
    "schedule_id" UUID NOT NULL,
    "slot" TIMESTAMPTZ(3) NOT NULL,
    "run_id" UUID,
    "error" TEXT,
    "claimed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "schedule_slots_pkey" PRIMARY KEY ("schedule_id", "slot")
);

ALTER TABLE "schedule_slots" ADD CONSTRAINT "schedule_slots_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "schedules"("id") ON DELETE CASCADE ON UPDATE CASCADE;
