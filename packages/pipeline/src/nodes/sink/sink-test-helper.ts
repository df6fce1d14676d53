import type { Column, Issue } from "@sluice/model";
import type { AnyNodeDefinition } from "../../catalog/node-definition.ts";
import { emptyEnv, type FixtureTable } from "../../testing/duckdb-harness.ts";

/**
 * Parses a sink's config and infers its (empty) outputs against an input. The shared harness cannot run a
 * sink's `input` query: it orders by the row order column, which a sink's input deliberately leaves out.
 */
export function inferSink(
  def: AnyNodeDefinition,
  rawConfig: unknown,
  input: FixtureTable,
): { ok: true; schemas: Record<string, Column[]> } | { ok: false; stage: "config" | "infer"; issues: Issue[] } {
  const parsed = def.configSchema.safeParse(rawConfig);
  if (!parsed.success) return { ok: false, stage: "config", issues: [] };
  const r = def.inferSchema({ nodeId: "n1", inputs: { in: [input.columns] }, env: emptyEnv }, parsed.data);
  return r.ok ? { ok: true, schemas: r.value } : { ok: false, stage: "infer", issues: r.issues };
}
