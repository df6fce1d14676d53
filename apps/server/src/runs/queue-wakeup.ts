import pg from "pg";

/** The PostgreSQL channel on which a new run is announced. NOTIFY is per database, so installs never hear each other. */
export const RUN_QUEUED_CHANNEL = "sluice_run_queued";

export interface QueueWakeup {
  /** Calls `listener` on every announcement; returns the way to stop. */
  subscribe(listener: () => void): () => void;
  close(): Promise<void>;
}

/**
 * Hears runs being queued from any process on any machine (PostgreSQL LISTEN on one connection of its own), so an
 * idle worker fetches at once instead of at its next poll. Only a hint: the worker still polls, so a lost
 * connection or a missed announcement delays a run by one polling interval at most and never loses it. A dropped
 * connection is opened again with a growing pause, and subscribers are woken once it is back, in case a run was
 * queued while nobody listened.
 */
export function listenForQueuedRuns(connectionString: string, log: (m: string) => void): QueueWakeup {
  const listeners = new Set<() => void>();
  let client: pg.Client | undefined;
  let closed = false;
  let retryMs = 500;
  let retryTimer: NodeJS.Timeout | undefined;
  const wakeAll = () => {
    for (const listener of listeners) listener();
  };

  async function connect() {
    if (closed) return;
    const c = new pg.Client({ connectionString, application_name: "sluice-queue-wakeup" });
    client = c;
    let dropped = false;
    const lost = (why: string) => {
      if (dropped || closed) return;
      dropped = true;
      log(`listening for queued runs stopped (${why}); polling meanwhile, listening again in ${retryMs} ms`);
      void c.end().catch(() => undefined);
      retryTimer = setTimeout(() => void connect(), retryMs);
      retryMs = Math.min(retryMs * 2, 30_000);
    };
    c.on("error", (e: Error) => lost(e.message));
    c.on("end", () => lost("connection ended"));
    c.on("notification", (n) => {
      if (n.channel === RUN_QUEUED_CHANNEL) wakeAll();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${RUN_QUEUED_CHANNEL}`);
      if (closed) return void (await c.end().catch(() => undefined));
      retryMs = 500;
      wakeAll();
    } catch (e) {
      lost(e instanceof Error ? e.message : String(e));
    }
  }

  void connect();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      listeners.clear();
      await client?.end().catch(() => undefined);
    },
  };
}

/** Announces a run that can start now; a failure is only logged, since polling finds the run anyway. */
export async function announceQueuedRun(notify: (sql: string, values: unknown[]) => Promise<unknown>, log: (m: string) => void) {
  await notify("SELECT pg_notify($1, '')", [RUN_QUEUED_CHANNEL]).catch((e: Error) => log(`announcing a queued run failed (polling finds it): ${e.message}`));
}
