import { describe, expect, it } from "vitest";
import type { SinkColumnChange } from "@sluice/pipeline";
import { saveImpact } from "./save-impact.ts";

const dataset = { kind: "postgres" as const, access: "write" as const, namespace: "postgres://db:5432", name: "sluice.warehouse.orders", label: "warehouse.orders" };
const change: SinkColumnChange = {
  nodeId: "load",
  dataset,
  removed: ["amount"],
  retyped: [{ column: "day", before: { name: "day", type: "date" }, after: { name: "day", type: "string" } }],
};
const use = (pipelineId: string, access: "read" | "write", columns: string[] | null) => ({ pipelineId, pipelineName: `P ${pipelineId}`, version: 3, access, nodeId: "n", columns });

describe("saveImpact", () => {
  it("lists the other pipelines that read a changed column, with the changed columns each uses", () => {
    const usage = { datasets: [{ namespace: dataset.namespace, name: dataset.name, kind: "postgres" as const, label: dataset.label, usedBy: [use("me", "write", ["amount", "day"]), use("b", "read", ["amount", "id"]), use("c", "read", ["id"]), use("d", "read", null)] }] };
    const [impact] = saveImpact([change], [usage], "me");
    expect(impact?.removed).toEqual(["amount"]);
    expect(impact?.retyped).toEqual([{ column: "day", before: "date", after: "string" }]);
    // c uses none of the changed columns; d's columns are not known, so it may.
    expect(impact?.readers.map((r) => [r.pipelineId, r.columns])).toEqual([
      ["b", ["amount"]],
      ["d", null],
    ]);
  });

  it("has no readers while the usage is not known or nobody reads the table", () => {
    expect(saveImpact([change], [undefined], "me")[0]?.readers).toEqual([]);
    expect(saveImpact([change], [{ datasets: [] }], "me")[0]?.readers).toEqual([]);
  });
});
