import type { PipelineGraph } from "@sluice/model";
import { isIncrementalSource, postgresSinkConfigSchema } from "@sluice/pipeline";
import { loadsRecorded, type PostgresConnectionSettings, type WatermarkRange } from "@sluice/engine";
import { loadStoredGraph } from "../pipelines/load-graph.ts";
import type { WatermarkRepository } from "./watermark.repository.ts";

export interface WatermarkPlanDeps {
  watermarks: WatermarkRepository;
  settingsOf(workspaceId: string, connectionId: string): Promise<PostgresConnectionSettings>;
}

type Planned = { ok: true; ranges: Map<string, WatermarkRange> } | { ok: false; error: string; transient: boolean };

const sinksOf = (graph: PipelineGraph) =>
  graph.nodes.flatMap((n) => {
    if (n.type !== "postgres-sink") return [];
    const c = postgresSinkConfigSchema.safeParse(n.config);
    return c.success ? [{ nodeId: n.id, label: n.label ?? n.id, connectionId: c.data.connectionId, schema: c.data.schema }] : [];
  });

/**
 * Settles the ranges earlier runs of the pipeline left pending (they died or failed after reading): a run whose
 * PostgreSQL sinks all committed had its rows delivered, so the stored watermark moves to its range ("recovered");
 * one none of whose sinks committed delivered nothing, so its range is dropped ("discarded"). A sink's commit is told
 * by the ledger row it writes in its own transaction. Some sinks committed and others not: refused, for a person to
 * decide (resetting the watermark drops the pending range and reads every row again).
 */
export async function settleEarlierRuns(d: WatermarkPlanDeps, runId: string, workspaceId: string, log: (m: string) => Promise<void>): Promise<Planned | undefined> {
  for (const earlier of await d.watermarks.unsettled(runId)) {
    const graph = loadStoredGraph(earlier.graph, `Version ${earlier.versionNumber}`).graph;
    const committed: string[] = [];
    const notCommitted: string[] = [];
    for (const s of sinksOf(graph)) {
      try {
        const settings = await d.settingsOf(workspaceId, s.connectionId);
        (await loadsRecorded(settings, s.schema, earlier.runId, s.nodeId) ? committed : notCommitted).push(s.label);
      } catch (e) {
        return { ok: false, transient: true, error: `Could not ask sink "${s.label}" whether run ${earlier.runId} loaded it, which decides where the incremental sources start: ${(e as Error).message}` };
      }
    }
    if (committed.length && notCommitted.length) {
      return {
        ok: false,
        transient: false,
        error: `Run ${earlier.runId} loaded ${committed.join(", ")} but not ${notCommitted.join(", ")} before it ended, so its incremental sources' rows are in some targets only. Reset the watermark (the next run reads every row again) after putting the targets right.`,
      };
    }
    if (committed.length) {
      await d.watermarks.advance(earlier.runId, "recovered");
      await log(`Run ${earlier.runId} had loaded its sinks before it ended; its incremental range is now stored, so its rows are not read again.`);
    } else {
      await d.watermarks.discard(earlier.runId);
    }
  }
  return undefined;
}

/** Where each incremental source of this run starts (and, on a retried attempt, ends). */
export async function planWatermarks(d: WatermarkPlanDeps, input: { runId: string; workspaceId: string; graph: PipelineGraph; log: (m: string) => Promise<void> }): Promise<Planned> {
  const sources = input.graph.nodes.filter((n) => isIncrementalSource(n.type, n.config));
  if (sources.length === 0) return { ok: true, ranges: new Map() };
  const refused = await settleEarlierRuns(d, input.runId, input.workspaceId, input.log);
  if (refused) return refused;
  const own = new Map((await d.watermarks.forRun(input.runId)).map((r) => [r.nodeId, r]));
  const pipelineStored = await d.watermarks.stored(await d.watermarks.pipelineOf(input.runId));
  const stored = new Map(pipelineStored.map((w) => [w.nodeId, w]));
  const ranges = new Map<string, WatermarkRange>();
  // File sources chose their files before the run compiled (file-plan.ts); the engine takes PostgreSQL ranges only.
  for (const n of sources.filter((s) => s.type === "postgres")) {
    const column = (n.config as { watermarkColumn: string }).watermarkColumn;
    const retried = own.get(n.id);
    if (retried) {
      ranges.set(n.id, { low: retried.before, high: retried.after });
      continue;
    }
    const w = stored.get(n.id);
    if (w && w.column !== column) {
      return { ok: false, transient: false, error: `${n.label ?? n.id} (${n.id}): its watermark is on column "${w.column}", and the source now names "${column}". Reset the watermark to read every row by the new column.` };
    }
    ranges.set(n.id, { low: w?.value ?? null });
  }
  return { ok: true, ranges };
}
