-- The built-in warehouse moved out of the metadata database into a database and a role of its own
-- (apps/server/src/warehouse/). When Sluice cannot set that up safely, the built-in connection says why here.
ALTER TABLE "connections" ADD COLUMN "unavailable_reason" TEXT;

-- Earlier versions loaded the built-in warehouse into this schema of the metadata database. An empty one
-- goes; one holding tables stays, untouched, and Sluice logs at every start that they are still there.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'warehouse')
     AND NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'warehouse')
     AND NOT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'warehouse')
     AND NOT EXISTS (SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'warehouse') THEN
    DROP SCHEMA "warehouse";
  END IF;
END $$;
