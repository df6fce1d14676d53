import { warning, type BecameNull, type Issue } from "@sluice/model";
import { becameNullFromOutput, type CompiledBecameNull } from "@sluice/pipeline";
import type { DuckSession } from "./duckdb-session.ts";

/**
 * Counts the values each conversion turned into nulls: from `output`, the step's stored output of the spec's port,
 * when there is one (two plain scans), otherwise by converting the step's inputs again.
 */
export async function countBecameNull(session: DuckSession, spec: CompiledBecameNull, output?: string): Promise<BecameNull[]> {
  const row = (await session.query(output === undefined ? spec.counts : becameNullFromOutput(spec, output)))[0] ?? {};
  return spec.columns.map((c, i) => ({ column: c.column, field: c.field, values: Number(row[`values_${i}`] ?? 0), nulled: Number(row[`nulled_${i}`] ?? 0) }));
}

// Fixed to en-US: a message must read the same whatever the server's locale.
const n = (x: number) => x.toLocaleString("en-US");

/** "200 of 200 values of Amount (EUR) became null": what the run log and the node's warning say. */
export function becameNullMessage(c: BecameNull): string {
  return `${n(c.nulled)} of ${n(c.values)} value${c.values === 1 ? "" : "s"} of ${c.column} became null: they do not convert`;
}

/** A warning on the node, at the column's field, for each column where values became null. */
export function becameNullIssues(nodeId: string, counts: readonly BecameNull[]): Issue[] {
  return counts.filter((c) => c.nulled > 0).map((c) => warning("VALUES_BECAME_NULL", `${becameNullMessage(c)}.`, { nodeId, field: c.field }));
}
