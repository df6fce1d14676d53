-- "Run from here" (issue 19, item 3): the node a run starts at; it and everything downstream run again while the
-- rest is reused from the run in resumed_from_id.
ALTER TABLE "runs" ADD COLUMN "from_node_id" TEXT;
