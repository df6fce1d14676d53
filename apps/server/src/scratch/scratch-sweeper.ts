import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, utimesSync } from "node:fs";
import { lstat, readdir, rm } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";

/** One attempt's work folder, made by the run executor and removed at its end; swept by its name below. */
export const runWorkFolder = (workDir: string, runId: string, attempt: number) => path.join(workDir, `run-${runId}-${attempt}`);
const RUN_FOLDER = /^run-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-(\d+)$/;
/** `work/proc-…` and `spill/proc-…`: one process's previews and DuckDB spill folders. */
const PROCESS_FOLDER = /^proc-/;
/** A file sink's half-written file: `outputs/<run id>/.<name>.<uuid>.tmp` (see the engine's file sink). */
const SINK_TEMPORARY = /^\..+\.[0-9a-f-]{36}\.tmp$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Scratch of an earlier Sluice version (`preview-…`, `duck-…`) names no owner: only age tells it is dead. */
const UNKNOWN_AGE_MS = 24 * 60 * 60 * 1000;

export interface ScratchSweeperOptions {
  folders: { work: string; spill: string; outputs: string };
  /** Runs whose status is running, with their current attempt: their folders are live whatever their age. */
  runningAttempts(): Promise<{ id: string; attempt: number }[]>;
  /** A process folder untouched this long belongs to a process that died (default 300 s). */
  processStaleMs: number;
  log(m: string): void;
}

/**
 * What a killed process leaves on disk: a run's staged CSVs (work/run-…), its DuckDB spill files and a
 * preview's scratch. Which of it is dead is decided without trusting process ids, since processes on several
 * machines may share one DATA_DIR: a run folder is live while the database says that attempt of the run is
 * running (the reaper fails runs whose worker stopped beating, so a dead worker's folder goes one sweep
 * later); a process folder is live while its owner keeps touching it, which every live process does on each
 * reaper tick, far more often than `processStaleMs`.
 */
export function scratchSweeper(o: ScratchSweeperOptions) {
  const id = `${hostname().replace(/[^A-Za-z0-9.-]/g, "_")}-${process.pid}-${randomBytes(4).toString("hex")}`;
  const own = { work: path.join(o.folders.work, `proc-${id}`), spill: path.join(o.folders.spill, `proc-${id}`) };
  for (const dir of Object.values(own)) mkdirSync(dir, { recursive: true });

  async function remove(target: string) {
    try {
      await rm(target, { recursive: true, force: true });
      o.log(`removed ${target}, left by a run or process that is no longer alive`);
    } catch (e) {
      o.log(`could not remove ${target}: ${(e as Error).message}`);
    }
  }

  async function isOlderThan(target: string, ms: number) {
    const s = await lstat(target).catch(() => undefined);
    return s !== undefined && Date.now() - s.mtimeMs > ms;
  }

  /** Sweeps run one after another, so a slow one (a first sweep over many output folders) never overlaps the next. */
  let chain: Promise<unknown> = Promise.resolve();

  async function sweepProcessFolders(parent: string, entries: string[], ownFolder: string) {
    for (const name of entries) {
      const target = path.join(parent, name);
      if (target === ownFolder || RUN_FOLDER.test(name)) continue;
      const ageMs = PROCESS_FOLDER.test(name) ? o.processStaleMs : UNKNOWN_AGE_MS;
      if (await isOlderThan(target, ageMs)) await remove(target);
    }
  }

  /**
   * Everything is listed before the database is asked which runs are running, so a run's folder or sink file
   * seen here was made after its claim, and the claim is visible to the query: a live run's files are never taken.
   */
  async function sweepOnce(outputsOf: "all" | string[]) {
    const work = await readdir(o.folders.work).catch(() => [] as string[]);
    const spill = await readdir(o.folders.spill).catch(() => [] as string[]);
    const runIds = outputsOf === "all" ? await readdir(o.folders.outputs).catch(() => [] as string[]) : outputsOf;
    const temporaries: { runId: string; file: string }[] = [];
    for (const runId of runIds.filter((id) => UUID.test(id))) {
      for (const name of await readdir(path.join(o.folders.outputs, runId)).catch(() => [] as string[])) {
        if (SINK_TEMPORARY.test(name)) temporaries.push({ runId, file: path.join(o.folders.outputs, runId, name) });
      }
    }
    const running = new Map((await o.runningAttempts()).map((r) => [r.id, r.attempt]));
    for (const name of work) {
      const m = RUN_FOLDER.exec(name);
      if (m && running.get(m[1]!) !== Number(m[2])) await remove(path.join(o.folders.work, name));
    }
    await sweepProcessFolders(o.folders.work, work, own.work);
    await sweepProcessFolders(o.folders.spill, spill, own.spill);
    for (const t of temporaries) if (!running.has(t.runId)) await remove(t.file);
  }

  return {
    /** This process's preview scratch and DuckDB spill folder; the sweeps of other processes leave them alone. */
    own,

    /** Marks this process's folders as still in use (their modification time is the mark). */
    touch() {
      const now = new Date();
      for (const dir of Object.values(own)) {
        try {
          utimesSync(dir, now, now);
        } catch {
          mkdirSync(dir, { recursive: true }); // removed by hand or by a sweep that thought us dead: make it again
        }
      }
    },

    /** Removes dead scratch; `outputsOf` also half-written sink files of those runs (all at start, reaped runs later). */
    sweep(outputsOf: "all" | string[] = []): Promise<void> {
      const run = chain.then(() => sweepOnce(outputsOf));
      chain = run.catch(() => undefined);
      return run;
    },

    /** At a clean stop: this process's folders go with it. */
    removeOwn() {
      for (const dir of Object.values(own)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type ScratchSweeper = ReturnType<typeof scratchSweeper>;
