import type { TestApp } from "./test-app.ts";
import { startSluiceProcess, type SluiceProcess } from "./sluice-process.ts";

/**
 * A statement trigger that waits while `<schema>.crash_hold` says so: it holds a transaction open at a chosen point
 * (inside a sink's load, or inside the metadata transaction that stores the watermark) so a test can kill the
 * worker exactly there. It polls, so releasing the hold lets an orphaned backend finish and roll back at once.
 */
export const holdTrigger = (schema: string, table: string) => `
  CREATE TABLE ${schema}.crash_hold (hold boolean NOT NULL);
  INSERT INTO ${schema}.crash_hold VALUES (false);
  CREATE FUNCTION ${schema}.crash_wait() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE i int := 0;
  BEGIN
    WHILE (SELECT hold FROM ${schema}.crash_hold) AND i < 600 LOOP PERFORM pg_sleep(0.2); i := i + 1; END LOOP;
    RETURN NULL;
  END $$;
  CREATE TRIGGER crash_wait AFTER INSERT OR UPDATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.crash_wait();`;

/** Real worker processes a crash test starts and kills with SIGKILL; `killAll` ends those still running. */
export function crashWorkers(app: () => TestApp, secretKey: Buffer, staleSeconds: number) {
  const workers: SluiceProcess[] = [];
  const kill = async (w: SluiceProcess) => {
    w.child.kill("SIGKILL");
    await w.exited;
  };
  return {
    start(): SluiceProcess {
      const w = startSluiceProcess(app(), secretKey, "worker-main.ts", { RUN_STALE_SECONDS: String(staleSeconds) });
      workers.push(w);
      return w;
    },
    kill,
    async killAll() {
      for (const w of workers) await kill(w);
    },
  };
}
