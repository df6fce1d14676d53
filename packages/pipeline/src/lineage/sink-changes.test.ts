import { describe, expect, it } from "vitest";
import type { PipelineEnvironment } from "../catalog/node-definition.ts";
import { edge, graph, inlineSource, node } from "../testing/graph-builders.ts";
import { sinkColumnChanges } from "./sink-changes.ts";

const env: PipelineEnvironment = { file: () => undefined, sourceColumns: () => undefined };
const pipeline = (derivations: { column: string; expression: string }[], drop: string[] = []) =>
  graph(
    [
      inlineSource("src", [
        { name: "id", type: "integer" },
        { name: "name", type: "string" },
        { name: "amount", type: "double" },
      ]),
      node("d", "derive", { derivations }),
      node("s", "select", { mode: "drop", columns: drop.map((name) => ({ name })) }),
      node("sink", "postgres-sink", { connectionId: "c1", schema: "warehouse", table: "orders", mode: "replace" }),
    ],
    [edge("1", "src", "d"), edge("2", "d", "s"), edge("3", "s", "sink")],
  );

describe("sinkColumnChanges", () => {
  it("lists the columns a save would stop writing or write with another type, per table", () => {
    const before = pipeline([{ column: "big", expression: "amount * 2" }]);
    const after = pipeline([{ column: "big", expression: "amount > 2" }], ["name"]);
    expect(sinkColumnChanges(before, after, env)).toEqual([
      {
        nodeId: "sink",
        dataset: { kind: "postgres", access: "write", namespace: "sluice://connections/c1", name: "warehouse.orders", label: "warehouse.orders" },
        removed: ["name"],
        retyped: [{ column: "big", before: { name: "big", type: "double" }, after: { name: "big", type: "boolean" } }],
      },
    ]);
  });

  it("says nothing when the written columns stay, or when a schema is not known", () => {
    const same = pipeline([{ column: "big", expression: "amount * 2" }]);
    expect(sinkColumnChanges(same, pipeline([{ column: "big", expression: "amount * 3" }]), env)).toEqual([]);
    expect(sinkColumnChanges(same, pipeline([{ column: "big", expression: "nope * 3" }]), env)).toEqual([]);
  });
});
