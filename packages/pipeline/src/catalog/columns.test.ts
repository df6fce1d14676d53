import { describe, expect, it } from "vitest";
import { closestName, findColumn, withHintBudget } from "./columns.ts";
import { validateGraph } from "../graph/validate-graph.ts";
import { emptyEnv } from "../testing/duckdb-harness.ts";
import { edge, fileSink, graph, inlineSource, node } from "../testing/graph-builders.ts";

const where = { nodeId: "n", field: "f" };

describe("closestName", () => {
  it("suggests a name that contains the typed one, else the nearest within half its length", () => {
    expect(closestName("name", ["id", "customer_name", "name_of_customer"])).toBe("customer_name");
    expect(closestName("amuont", ["amount", "mount_x", "id"])).toBe("amount");
    expect(closestName("Amuont", ["AMOUNT"])).toBe("AMOUNT");
    expect(closestName("zzzzzz", ["amount"])).toBeUndefined();
    // The first of equally near names, as before candidates of the wrong length were skipped.
    expect(closestName("abcd", ["xbcdefghij", "abxx", "abyd", "abzd"])).toBe("abyd");
  });

  it("suggests nothing once the budget is spent, and unknown names are still reported", () => {
    const columns = ["amount", "price"].map((name) => ({ name, type: "double" as const }));
    expect(withHintBudget(1000, () => findColumn(columns, "amuont", where).issue?.message)).toBe('Column "amuont" does not exist; did you mean "amount"?');
    expect(withHintBudget(10, () => findColumn(columns, "amuont", where).issue?.message)).toBe('Column "amuont" does not exist.');
    expect(findColumn(columns, "amuont", where).issue?.message).toContain("did you mean");
  });

  it("keeps validation's suggestions bounded however many or however long the unknown names", () => {
    // Each unknown name was compared with every column: 2,000 by 2,000 took 4.8 s; two names of 400,000 characters
    // (an 800 kB request) would have taken most of an hour.
    const long = graph(
      [inlineSource("s", [{ name: "b".repeat(400_000), type: "integer" }]), node("p", "select", { columns: [{ name: "a".repeat(400_000) }] }), fileSink("o")],
      [edge("e1", "s", "p"), edge("e2", "p", "o")],
    );
    let started = performance.now();
    expect(validateGraph(long, emptyEnv).problems.map((p) => [p.code, p.nodeId, p.field])).toEqual([["UNKNOWN_COLUMN", "p", "columns.0.name"]]);
    expect(performance.now() - started).toBeLessThan(1000);

    const columns = Array.from({ length: 2000 }, (_, i) => ({ name: `column_${i}`, type: "integer" }));
    const picks = Array.from({ length: 3000 }, (_, i) => ({ name: `colunm_${i}` }));
    const many = graph([inlineSource("s", columns), node("p", "select", { columns: picks }), fileSink("o")], [edge("e1", "s", "p"), edge("e2", "p", "o")]);
    started = performance.now();
    const problems = validateGraph(many, emptyEnv).problems;
    expect(performance.now() - started).toBeLessThan(1500);
    // The first 100 of the 3,000 are listed (MAX_PROBLEMS_PER_NODE); the budget ran out long before the 100th.
    expect(problems).toHaveLength(101);
    expect(problems.slice(0, 100).every((p) => p.code === "UNKNOWN_COLUMN")).toBe(true);
    expect(problems[0]!.message).toBe('Column "colunm_0" does not exist; did you mean "column_0"?');
    expect(problems[99]!.message).toBe('Column "colunm_99" does not exist.');
    expect(problems[100]!.code).toBe("TOO_MANY_PROBLEMS");
  });
});
