import type { PlannedStep } from "./execution-plan.ts";
import type { BecameNull, CheckResult } from "@sluice/model";
import { countBecameNull } from "./became-null.ts";
import type { WatermarkMove } from "./connectors/postgres-watermark.ts";
import { evaluateChecks } from "./quality-checks.ts";
import { countRows, createNumbered, failedFrom, loadStep, sinkStep, type RelationKind, type StepEnvironment, type StepResult } from "./step-runner.ts";

export interface StepDone {
  rowsOut: number | null;
  written: number;
  output?: { name: string; bytes: number };
  /** A check node's rule results. */
  checks?: CheckResult[];
  /** A conversion's values that became null, per column. */
  becameNull?: BecameNull[];
  /** An incremental source's range. */
  watermark?: WatermarkMove;
}

/**
 * One planned step of a run: a query step's outputs become tables (counted) or views (not), a load step
 * fills its table through the loader, a sink step writes through the sink. Records each relation's kind and row count.
 */
export async function runPlannedStep(
  env: StepEnvironment,
  p: PlannedStep,
  runId: string,
  rows: Map<string, number | null>,
  kinds: Map<string, RelationKind>,
  rowsIn: number | null,
): Promise<StepResult<StepDone>> {
  const s = p.step;
  const step = s.step;
  switch (step.kind) {
    case "query": {
      try {
        for (const [port, sql] of Object.entries(step.outputs)) {
          const rel = s.relations[port];
          if (!rel) continue;
          const kind = p.storage[port] ?? "table";
          const unnumbered = kind === "table" ? step.unnumbered?.[port] : undefined;
          if (unnumbered) await createNumbered(env.session, rel, unnumbered);
          else await env.session.run(`CREATE ${kind === "view" ? "VIEW" : "TABLE"} ${rel} AS ${sql}`);
          kinds.set(rel, unnumbered ? "numbered" : kind);
          // A view keeps the row count (its rows out are its rows in) or is a row filter over stored rows (a quick pass counts it).
          rows.set(rel, kind === "view" && s.keepsRowCount ? rowsIn : await countRows(env.session, rel));
        }
        const main = s.inputRelations.in?.[0];
        const checks = step.checks?.length && main ? await evaluateChecks(env.session, s.nodeId, step.checks, rows.get(main) ?? (await countRows(env.session, main))) : undefined;
        // Values a conversion nulled are never lost without a word: counted from its output when stored, else from its input.
        const nulling = step.becameNull;
        const stored = nulling && (p.storage[nulling.port] ?? "table") === "table" ? s.relations[nulling.port] : undefined;
        const becameNull = nulling ? await countBecameNull(env.session, nulling, stored) : undefined;
        const first = Object.values(s.relations)[0];
        return { ok: true, value: { rowsOut: first === undefined ? 0 : (rows.get(first) ?? null), written: 0, ...(checks ? { checks } : {}), ...(becameNull ? { becameNull } : {}) } };
      } catch (e) {
        return failedFrom(e, env.session);
      }
    }
    case "load": {
      const rel = Object.values(s.relations)[0];
      if (!rel) return { ok: false, code: "LOAD_FAILED", message: "The source has no output." };
      const r = await loadStep(env, s, rel);
      if (!r.ok) return r;
      kinds.set(rel, "table");
      rows.set(rel, r.value.rows);
      return { ok: true, value: { rowsOut: r.value.rows, written: 0, ...(r.value.watermark ? { watermark: r.value.watermark } : {}) } };
    }
    case "sink": {
      const r = await sinkStep(env, s, { runId, nodeId: s.nodeId }, p.cheapInput);
      if (!r.ok) return r;
      return { ok: true, value: { rowsOut: r.value.rowsWritten, written: r.value.rowsWritten, ...(r.value.output ? { output: r.value.output } : {}) } };
    }
    default: {
      const never: never = step;
      throw new Error(`unknown step kind ${JSON.stringify(never)}`);
    }
  }
}
