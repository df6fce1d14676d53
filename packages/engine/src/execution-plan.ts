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
}

export interface ExecutionPlan {
  steps: PlannedStep[];
  /** For a fused step: the index of the step whose completion finishes it (where its rows are really computed). */
  finishedBy: Map<number, number>;
}

const hasInputs = (s: CompiledNodeStep) => Object.values(s.inputRelations).some((rels) => rels.length > 0);

/**
 * Decides, per relation, whether a query step becomes a table or a view, and when each relation can be dropped.
 *
 * A view costs nothing to create and lets DuckDB stream rows through a chain of steps without writing
 * each one down; a table is computed once, can be read many times and counted exactly. So, under "auto",
 * an output is a view only when all of these hold:
 * - the step has inputs (sources stay tables: their row counts are the run's "rows read", and a file is parsed once);
 * - exactly one step reads it, once (a second reader would compute it again);
 * - that reader is a query step without quality checks (sinks may read their input more than once, e.g. to count it, and
 *   their input's table gives them an exact "rows in");
 * - it is the node's "out" port and the node keeps the row count (derive, sort, select, clean without
 *   dropping rows, …), so its rows out are its rows in: every node still reports exact counts.
 * A view's time is part of the step that reads it.
 */
export function planExecution(compiled: CompiledPipeline, policy: MaterializePolicy): ExecutionPlan {
  const steps = compiled.steps;
  const readers = new Map<string, number[]>();
  steps.forEach((s, i) => {
    for (const rel of Object.values(s.inputRelations).flat()) readers.set(rel, [...(readers.get(rel) ?? []), i]);
  });
  const storage = steps.map((s) => {
    const out: Record<string, "table" | "view"> = {};
    if (s.step.kind !== "query") return out;
    for (const [port, rel] of Object.entries(s.relations)) {
      const r = readers.get(rel) ?? [];
      const onlyReader = r.length === 1 ? steps[r[0]!] : undefined;
      // A check node reads its input once per rule: it gets a table, not a view to recompute each time.
      const checked = onlyReader?.step.kind === "query" && (onlyReader.step.checks?.length ?? 0) > 0;
      const view = policy === "auto" && hasInputs(s) && onlyReader?.step.kind === "query" && !checked && port === "out" && s.keepsRowCount;
      out[port] = view ? "view" : "table";
    }
    return out;
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
    })),
    finishedBy,
  };
}
