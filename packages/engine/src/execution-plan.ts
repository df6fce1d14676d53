import type { CompiledNodeStep, CompiledPipeline } from "@sluice/pipeline";

/** "auto": views where a step streams into exactly one query step (see decide()); "tables": every query step is a table. */
export type MaterializePolicy = "auto" | "tables";

export interface PlannedStep {
  index: number;
  step: CompiledNodeStep;
  /** Query steps only: how each output relation is stored. */
  storage: Record<string, "table" | "view">;
  /** True when every output is a view: the step's work happens inside the step that reads it. */
  fused: boolean;
  /** Relations that no later work reads once this step is done: drop them then, to give their memory back. */
  dropAfter: string[];
  /** Sinks: the input is stored, or cheap to compute from stored rows, so a pass over it costs little. */
  cheapInput: boolean;
  /**
   * Relations stored only so that the values the step nulled can be counted from them (they would stream otherwise):
   * a resume computes them again rather than the run writing them down a second time.
   */
  storedToCount: string[];
}

export interface ExecutionPlan {
  steps: PlannedStep[];
  /** For a fused step: the index of the step whose completion finishes it (where its rows are really computed). */
  finishedBy: Map<number, number>;
}

/**
 * Most SELECTs one statement may nest through the views it reads. DuckDB binds every nested SELECT over all of its
 * columns, in memory and within max_expression_depth (1,000): ten derive nodes of 100 chained derivations streamed
 * into each other failed with "Max expression depth limit of 1000 exceeded", and 450 levels in one statement ran out
 * of a 1 GB memory limit while binding, on two rows. Past this, the views a step reads are stored instead.
 */
export const MAX_VIEW_DEPTH = 200;

/** Nested SELECTs in a step's SQL, at most: every SELECT counted, nested or not (a word in a literal too). */
const selectCount = (sql: string) => sql.match(/\bSELECT\b/gi)?.length ?? 0;

const hasInputs = (s: CompiledNodeStep) => Object.values(s.inputRelations).some((rels) => rels.length > 0);

/**
 * Decides, per relation, whether a query step becomes a table or a view, and when each relation can be dropped.
 *
 * A view costs nothing to create and lets DuckDB stream rows through a chain of steps without writing
 * each one down; a table is computed once, can be read many times and counted exactly. Every node still
 * reports exact row counts. Under "auto", a step's "out" is a view (never a source's: its row count is the
 * run's "rows read", and a file is parsed once; never the input of a check node, which reads it once per rule) when:
 * - the node keeps the row count (derive, sort, select, clean without dropping rows, …) and exactly one
 *   query step reads it, once: it streams into that step, and its rows out are its rows in;
 * - or it is per-row work that keeps every row ("projection": derive, select) over stored inputs: any number
 *   of readers compute it again, which costs less than writing it down;
 * - or it is a per-row test ("row-filter": filter) over stored inputs with one reader: a quick pass counts it.
 * A view's time is part of the steps that read it.
 */
export function planExecution(compiled: CompiledPipeline, policy: MaterializePolicy): ExecutionPlan {
  const steps = compiled.steps;
  const readers = new Map<string, number[]>();
  steps.forEach((s, i) => {
    for (const rel of Object.values(s.inputRelations).flat()) readers.set(rel, [...(readers.get(rel) ?? []), i]);
  });
  const stored = new Set<string>();
  const toCount: string[][] = steps.map(() => []);
  const hasChecks = (i: number) => {
    const st = steps[i]!.step;
    return st.kind === "query" && (st.checks?.length ?? 0) > 0;
  };
  const storage: Record<string, "table" | "view">[] = [];
  // Which step and port made each relation, and how many SELECTs deep a view's SQL is with the views it reads.
  const madeBy = new Map<string, { step: number; port: string }>();
  const viewDepth = new Map<string, number>();
  steps.forEach((s, i) => {
    const out: Record<string, "table" | "view"> = {};
    storage.push(out);
    for (const [port, rel] of Object.entries(s.relations)) madeBy.set(rel, { step: i, port });
    if (s.step.kind === "load") for (const rel of Object.values(s.relations)) stored.add(rel);
    if (s.step.kind !== "query") return;
    const sql = s.step.outputs;
    const inputs = Object.values(s.inputRelations).flat();
    // A statement reads its input views' SQL in place: past MAX_VIEW_DEPTH nested SELECTs, the views it reads are
    // stored instead, so that no statement nests deeper than DuckDB binds (max_expression_depth).
    const deepest = Math.max(0, ...inputs.map((rel) => viewDepth.get(rel) ?? 0));
    const own = Math.max(0, ...Object.values(sql).map(selectCount));
    if (deepest > 0 && deepest + own > MAX_VIEW_DEPTH) {
      for (const rel of inputs) {
        const from = madeBy.get(rel);
        if (!from || !viewDepth.has(rel)) continue;
        storage[from.step]![from.port] = "table";
        stored.add(rel);
        viewDepth.delete(rel);
      }
    }
    const depthIn = Math.max(0, ...inputs.map((rel) => viewDepth.get(rel) ?? 0));
    const inputsStored = hasInputs(s) && inputs.every((rel) => stored.has(rel));
    for (const [port, rel] of Object.entries(s.relations)) {
      const r = readers.get(rel) ?? [];
      const onlyReader = r.length === 1 ? steps[r[0]!] : undefined;
      const eligible = policy === "auto" && hasInputs(s) && port === "out" && r.length > 0 && !r.some(hasChecks);
      const view =
        eligible &&
        ((s.keepsRowCount && onlyReader?.step.kind === "query") ||
          (s.recompute === "projection" && s.keepsRowCount && inputsStored) ||
          (s.recompute === "row-filter" && onlyReader !== undefined && inputsStored));
      // A conversion that counts the values it nulled is stored instead of streamed: counting from a stored output
      // is two plain scans, counting from a streamed one converts every value again (and a reader such as dedupe,
      // which reads its input twice, would convert them twice more).
      const countsNulls = view && s.step.becameNull?.port === port;
      out[port] = view && !countsNulls ? "view" : "table";
      if (countsNulls) toCount[i]!.push(rel);
      if (out[port] === "table") stored.add(rel);
      else viewDepth.set(rel, depthIn + selectCount(sql[port] ?? ""));
    }
  });

  // Sinks whose input is stored, or computed cheaply from stored rows: checking its order costs one quick pass.
  const cheap = new Set(stored);
  steps.forEach((s, i) => {
    if (s.step.kind !== "query" || !s.recompute) return;
    if (!Object.values(s.inputRelations).flat().every((rel) => stored.has(rel))) return;
    for (const [port, rel] of Object.entries(s.relations)) if (storage[i]![port] === "view") cheap.add(rel);
  });

  // When a step's inputs are really read: at the step itself, and again wherever its views are computed.
  const lastUse = new Map<number, number>();
  const useOf = (i: number): number => {
    const known = lastUse.get(i);
    if (known !== undefined) return known;
    let last = i;
    const s = steps[i]!;
    for (const [port, kind] of Object.entries(storage[i]!)) {
      if (kind !== "view") continue;
      for (const r of readers.get(s.relations[port]!) ?? []) last = Math.max(last, useOf(r));
    }
    lastUse.set(i, last);
    return last;
  };

  const dropAfter: string[][] = steps.map(() => []);
  const finishedBy = new Map<number, number>();
  steps.forEach((s, i) => {
    for (const rel of Object.values(s.relations)) {
      const r = readers.get(rel) ?? [];
      const at = r.reduce((m, reader) => Math.max(m, useOf(reader)), i);
      dropAfter[at]!.push(rel);
    }
    const kinds = Object.values(storage[i]!);
    if (kinds.length > 0 && kinds.every((k) => k === "view")) finishedBy.set(i, useOf(i));
  });

  return {
    steps: steps.map((step, index) => ({
      index,
      step,
      storage: storage[index]!,
      fused: finishedBy.has(index),
      dropAfter: dropAfter[index]!,
      cheapInput: step.step.kind === "sink" && Object.values(step.inputRelations).flat().every((rel) => cheap.has(rel)),
      storedToCount: toCount[index]!,
    })),
    finishedBy,
  };
}
