import { describe, expect, it } from "vitest";
import type { PipelineEnvironment } from "../catalog/node-definition.ts";
import { edge, graph, inlineSource, node } from "../testing/graph-builders.ts";
import { columnLineage, type LineageOrigin } from "./column-lineage.ts";

const none: PipelineEnvironment = { file: () => undefined, sourceColumns: () => undefined };
const cols = (...names: [string, string][]) => names.map(([name, type]) => ({ name, type }));
/** Origins as `node.port.column KIND`, for short expectations. */
const show = (list: LineageOrigin[] | undefined) => (list ?? []).map((o) => `${o.from.nodeId}.${o.from.port}.${o.from.column} ${o.transformation.subtype}`);

/** Each node type's declaration, as resolved in a graph, on the cases the corpus test cannot tell apart. */
describe("node lineage by kind", () => {
  const left = inlineSource("l", cols(["id", "integer"], ["v", "string"], ["Weird \"k\"", "string"]));
  const right = inlineSource("r", cols(["ID", "integer"], ["v", "string"]));

  it("join: a merged key comes from both sides, a clashing right column keeps its origin under its new name, keys of both sides pick rows", () => {
    const l = columnLineage(graph([left, right, node("j", "join", { kind: "left", keys: [{ left: "id", right: "ID" }] })], [edge("1", "l", "j", { targetPort: "left" }), edge("2", "r", "j", { targetPort: "right" })]), none);
    const out = l.nodes.j!.ports.out!;
    expect(show(out.columns.id)).toEqual(["l.out.id IDENTITY", "r.out.ID IDENTITY"]);
    expect(show(out.columns.v_right)).toEqual(["r.out.v IDENTITY"]);
    expect(show(out.rows)).toEqual(["l.out.id JOIN", "r.out.ID JOIN"]);
  });

  it("union: a column from every input that has it, by name ignoring case; the source column from none", () => {
    const l = columnLineage(graph([left, right, node("u", "union", { sourceColumn: "src" })], [edge("1", "l", "u"), edge("2", "r", "u")]), none);
    const out = l.nodes.u!.ports.out!;
    expect(show(out.columns.id)).toEqual(["l.out.id IDENTITY", "r.out.ID IDENTITY"]);
    expect(show(out.columns['Weird "k"'])).toEqual(['l.out.Weird "k" IDENTITY']);
    expect(out.columns.src).toEqual([]);
  });

  it("select renames, retype transforms and routes rejects, clean transforms what it changes", () => {
    const g = graph(
      [
        inlineSource("s", cols(["a", "string"], ["b", "string"])),
        node("sel", "select", { columns: [{ name: "a", rename: "A2" }, { name: "b" }] }),
        node("clean", "clean", { columns: [{ column: "b", operations: [{ op: "trim" }] }], dropRows: { when: "any", columns: ["A2"] } }),
        node("rt", "retype", { columns: [{ column: "b", to: "integer" }], onError: "reject" }),
      ],
      [edge("1", "s", "sel"), edge("2", "sel", "clean"), edge("3", "clean", "rt")],
    );
    const l = columnLineage(g, none);
    expect(show(l.nodes.sel!.ports.out!.columns.A2)).toEqual(["s.out.a IDENTITY"]);
    expect(show(l.nodes.clean!.ports.out!.columns.b)).toEqual(["sel.out.b TRANSFORMATION"]);
    expect(show(l.nodes.clean!.ports.out!.columns.A2)).toEqual(["sel.out.A2 IDENTITY"]);
    expect(show(l.nodes.clean!.ports.out!.rows)).toEqual(["sel.out.A2 FILTER"]);
    expect(show(l.nodes.rt!.ports.out!.rows)).toEqual(["clean.out.b FILTER"]);
    expect(show(l.nodes.rt!.ports.rejects!.columns._error)).toEqual(["clean.out.b TRANSFORMATION"]);
    expect(show(l.nodes.rt!.ports.rejects!.columns.A2)).toEqual(["clean.out.A2 IDENTITY"]);
  });

  it("pivot, unpivot and window columns", () => {
    const s = inlineSource("s", cols(["region", "string"], ["month", "string"], ["sales", "double"], ["cost", "double"]));
    const g = graph(
      [
        s,
        node("p", "pivot", { groupBy: ["region"], pivotColumn: "month", values: ["jan", "feb"], valueColumn: "sales", aggregation: "sum" }),
        node("u", "unpivot", { columns: ["sales", "cost"], nulls: "drop" }),
        node("w", "aggregate", { mode: "window", partitionBy: ["region"], orderBy: [{ column: "month" }], windows: [{ fn: "running_sum", column: "sales" }, { fn: "rank" }] }),
      ],
      [edge("1", "s", "p"), edge("2", "s", "u"), edge("3", "s", "w")],
    );
    const l = columnLineage(g, none);
    expect(show(l.nodes.p!.ports.out!.columns.jan)).toEqual(["s.out.sales AGGREGATION", "s.out.month CONDITIONAL"]);
    expect(show(l.nodes.p!.ports.out!.rows)).toEqual(["s.out.region GROUP_BY"]);
    expect(show(l.nodes.u!.ports.out!.columns.value)).toEqual(["s.out.sales IDENTITY", "s.out.cost IDENTITY"]);
    expect(l.nodes.u!.ports.out!.columns.name).toEqual([]);
    expect(show(l.nodes.u!.ports.out!.rows)).toEqual(["s.out.sales FILTER", "s.out.cost FILTER"]);
    expect(show(l.nodes.w!.ports.out!.columns.sales_running_sum)).toEqual(["s.out.sales AGGREGATION", "s.out.region WINDOW", "s.out.month WINDOW"]);
    expect(show(l.nodes.w!.ports.out!.columns.rank)).toEqual(["s.out.region WINDOW", "s.out.month WINDOW"]);
  });
});
