import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import type { AnyNodeDefinition } from "../catalog/node-definition.ts";
import { sortNode } from "../nodes/compute/sort.node.ts";
import { dedupeNode } from "../nodes/clean/dedupe.node.ts";
import { filterNode } from "../nodes/clean/filter.node.ts";
import { groupNode } from "../nodes/summarize/group.node.ts";
import { aggregateNode } from "../nodes/summarize/aggregate.node.ts";
import { deriveNode } from "../nodes/compute/derive.node.ts";
import { checkNode } from "../nodes/quality/check.node.ts";
import { pivotNode } from "../nodes/structure/pivot.node.ts";
import { observeNodeRuns, runNode, type FixtureTable, type NodeRunResult, type ObservedNodeRun } from "./duckdb-harness.ts";
import { connectDifferential, runOnPostgres } from "./postgres-node-run.ts";

const url = process.env.DIFFERENTIAL_PG15_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/**
 * A user's table has its database's collation, most often en_US or an ICU one, which orders "a" < "B" < "b"; the
 * docs promise text by code point ("B" < "a"), as DuckDB orders it, in a run inside the database too.
 */
const input: FixtureTable = {
  columns: [
    { name: "id", type: "integer" },
    { name: "name", type: "string" },
    { name: "grp", type: "string" },
  ],
  rows: [
    [1, "b", "x"],
    [2, "B", "x"],
    [3, "a", "y"],
    [4, "Z", "y"],
    [5, "é", "x"],
    [6, null, "y"],
    [7, "A", "x"],
  ],
};

async function observed(def: AnyNodeDefinition, config: unknown): Promise<{ run: ObservedNodeRun; result: NodeRunResult }> {
  let seen: ObservedNodeRun | undefined;
  observeNodeRuns(async (run) => void (seen = run));
  try {
    const result = await runNode(def, config, { in: [input] });
    return { run: seen!, result };
  } finally {
    observeNodeRuns(undefined);
  }
}

const column = (r: NodeRunResult, name: string) => (r.ok ? r.rows.out!.map((row) => row[name]) : r);

describe("text is ordered by code point inside a database whose collation is not C", () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = await connectDifferential(url);
  });
  afterAll(async () => {
    await client?.end();
  });

  const inDatabase = async (def: AnyNodeDefinition, config: unknown) => {
    const { run, result } = await observed(def, config);
    return { result, outcome: await runOnPostgres(client, run, { textCollation: "en-x-icu" }) };
  };

  it("sorts, dedupes by sort and ranks text by code point", async () => {
    const sorted = await inDatabase(sortNode, { keys: [{ column: "name" }] });
    expect(column(sorted.result, "name")).toEqual(["A", "B", "Z", "a", "b", "é", null]);
    expect(sorted.outcome).toEqual({ kind: "equal" });

    const desc = await inDatabase(sortNode, { keys: [{ column: "name", direction: "desc", nulls: "first" }] });
    expect(column(desc.result, "name")).toEqual([null, "é", "b", "a", "Z", "B", "A"]);
    expect(desc.outcome).toEqual({ kind: "equal" });

    const deduped = await inDatabase(dedupeNode, { keys: ["grp"], keep: "by_sort", sort: [{ column: "name" }] });
    expect(column(deduped.result, "name")).toEqual(["Z", "A"]);
    expect(deduped.outcome).toEqual({ kind: "equal" });

    const ranked = await inDatabase(aggregateNode, { mode: "window", orderBy: [{ column: "name" }], windows: [{ fn: "rank" }, { fn: "row_number" }] });
    expect((column(ranked.result, "rank") as unknown[]).map(Number)).toEqual([5, 2, 4, 3, 6, 7, 1]);
    expect(ranked.outcome).toEqual({ kind: "equal" });
  });

  it("gives min and max of text by code point, still lower-cased in full after it", async () => {
    const grouped = await inDatabase(groupNode, { keys: ["grp"], aggregations: [{ column: "name", fn: "min" }, { column: "name", fn: "max" }] });
    expect(grouped.result.ok && grouped.result.rows.out).toEqual([
      { grp: "x", name_min: "A", name_max: "é" },
      { grp: "y", name_min: "Z", name_max: "a" },
    ]);
    expect(grouped.outcome).toEqual({ kind: "equal" });

    for (const aggregation of ["min", "max"]) {
      const pivoted = await inDatabase(pivotNode, { groupBy: [], pivotColumn: "grp", values: ["x", "y"], valueColumn: "name", aggregation });
      expect(pivoted.result.ok && pivoted.result.rows.out).toEqual([aggregation === "min" ? { x: "A", y: "Z" } : { x: "é", y: "a" }]);
      expect(pivoted.outcome).toEqual({ kind: "equal" });
    }

    const derived = await inDatabase(deriveNode, {
      derivations: [
        { column: "before_a", expression: "name < 'a'" },
        { column: "top", expression: "upper(greatest(name, 'C'))" },
        { column: "low", expression: "least(name, 'b')" },
      ],
    });
    expect(column(derived.result, "before_a")).toEqual([false, true, false, true, false, null, true]);
    expect(column(derived.result, "top")).toEqual(["B", "C", "A", "Z", "É", "C", "C"]);
    expect(derived.outcome).toEqual({ kind: "equal" });
  });

  it("filters and checks text ranges by code point", async () => {
    const rule = (operator: string, value: unknown, value2?: unknown) => ({ condition: { kind: "group", op: "and", conditions: [{ kind: "rule", column: "name", operator, value, value2 }] } });
    const below = await inDatabase(filterNode, rule("<", "a"));
    expect(column(below.result, "name")).toEqual(["B", "Z", "A"]);
    expect(below.outcome).toEqual({ kind: "equal" });

    const between = await inDatabase(filterNode, rule("between", "B", "a"));
    expect(column(between.result, "name")).toEqual(["B", "a", "Z"]);
    expect(between.outcome).toEqual({ kind: "equal" });

    const expression = await inDatabase(filterNode, { condition: { kind: "group", op: "and", conditions: [{ kind: "expression", expression: "'a' > name" }] } });
    expect(column(expression.result, "name")).toEqual(["B", "Z", "A"]);
    expect(expression.outcome).toEqual({ kind: "equal" });

    const checked = await inDatabase(checkNode, { rules: [{ kind: "range", column: "name", min: "B", max: "a", severity: "warn" }] });
    expect(checked.result.ok && checked.result.failing).toEqual({ 0: [1, 5, 7] });
    expect(checked.outcome).toEqual({ kind: "equal" });
  });
});
