import { describe, expect, it } from "vitest";
import { error, type Issue } from "@sluice/model";
import { getNodeDefinition } from "@sluice/pipeline";
import { formOf, LIST_PAGE } from "./form-model.ts";
import { drawnPaths } from "./inspector-layout.ts";
import { conditionPaths, formPaths, placeProblems } from "./problem-placement.ts";

const issue = (field?: string): Issue => error("SOME_PROBLEM", `about ${field ?? "nothing"}`, { nodeId: "n", ...(field !== undefined ? { field } : {}) });
const fields = (issues: Issue[]) => issues.map((i) => i.field);

describe("placing problems beside their fields", () => {
  it("lists the paths the generic form draws, per list item", () => {
    const join = getNodeDefinition("join")!;
    const config = { kind: "inner", keys: [{ left: "a", right: "b" }], rightSuffix: "_right" };
    expect(formPaths(formOf(join), config)).toEqual(["kind", "keys", "keys.0", "keys.0.left", "keys.0.right", "rightSuffix"]);
  });

  it("draws the first page of a long list; problems further down go to the list", () => {
    const inline = getNodeDefinition("inline")!;
    const rows = Array.from({ length: 1000 }, (_, r) => [r, `name ${r}`]);
    const paths = formPaths(formOf(inline), { columns: [{ name: "id", type: "integer" }, { name: "name", type: "string" }], rows });
    expect(paths).toContain(`rows.${LIST_PAGE - 1}.1`);
    expect(paths).not.toContain(`rows.${LIST_PAGE}`);
    const placed = placeProblems([issue("rows.2.1"), issue("rows.999.0")], paths);
    expect(fields(placed.at.get("rows.2.1") ?? [])).toEqual(["rows.2.1"]);
    expect(fields(placed.at.get("rows") ?? [])).toEqual(["rows.999.0"]);
  });

  it("puts a problem at its field, or the nearest drawn field containing it, and the rest at the top", () => {
    const placed = placeProblems([issue("keys.0.left"), issue("keys.1"), issue("keys.0.nested.deep"), issue(), issue("config"), issue("")], ["keys", "keys.0", "keys.0.left"]);
    expect(fields(placed.at.get("keys.0.left") ?? [])).toEqual(["keys.0.left"]);
    expect(fields(placed.at.get("keys") ?? [])).toEqual(["keys.1"]);
    expect(fields(placed.at.get("keys.0") ?? [])).toEqual(["keys.0.nested.deep"]);
    expect(fields(placed.rest)).toEqual([undefined, "config", ""]);
  });

  it("places group's unknown key column on its multi-select and a decimal's scale only while it is drawn", () => {
    const group = getNodeDefinition("group")!;
    const groupPaths = drawnPaths("group", formOf(group), { keys: ["country", "nope"], aggregations: [{ fn: "count", separator: ", " }] });
    expect(placeProblems([issue("keys.1")], groupPaths).at.get("keys")).toHaveLength(1);
    expect(groupPaths).not.toContain("aggregations.0.separator");

    const retype = getNodeDefinition("retype")!;
    const asDecimal = drawnPaths("retype", formOf(retype), { columns: [{ column: "amount", to: "decimal", formats: [] }] });
    const asDouble = drawnPaths("retype", formOf(retype), { columns: [{ column: "amount", to: "double", formats: ["%d"] }] });
    expect(asDecimal).toContain("columns.0.scale");
    expect(asDouble).not.toContain("columns.0.scale");
    // A leftover format on a double is not drawn: its problem goes to the row, not nowhere.
    expect(placeProblems([issue("columns.0.formats.0")], asDouble).at.get("columns.0")).toHaveLength(1);
  });

  it("places filter problems on the rule they concern, in nested groups too", () => {
    const condition = { kind: "group", op: "and", conditions: [{ kind: "rule", column: "a", operator: "=" }, { kind: "group", op: "or", conditions: [{ kind: "rule", column: "b", operator: "=" }] }] };
    const paths = conditionPaths(condition);
    expect(paths).toEqual(["condition", "condition.conditions.0", "condition.conditions.1", "condition.conditions.1.conditions.0"]);
    const placed = placeProblems([issue("condition.conditions.1.conditions.0.value")], drawnPaths("filter", formOf(getNodeDefinition("filter")!), { condition }));
    expect(placed.at.get("condition.conditions.1.conditions.0")).toHaveLength(1);
    expect(placed.rest).toEqual([]);
  });

  it("places an expression condition's problems on its expression field", () => {
    const condition = { kind: "group", op: "and", conditions: [{ kind: "expression", expression: "x +" }] };
    expect(conditionPaths(condition)).toEqual(["condition", "condition.conditions.0.expression"]);
    const placed = placeProblems([issue("condition.conditions.0.expression")], conditionPaths(condition));
    expect(placed.at.get("condition.conditions.0.expression")).toHaveLength(1);
  });

  it("draws aggregate's fields of the chosen mode only", () => {
    const spec = formOf(getNodeDefinition("aggregate")!);
    const total = drawnPaths("aggregate", spec, { mode: "total", aggregations: [{ fn: "string_agg", column: "x" }], windows: [{}] });
    expect(total).toContain("aggregations.0.separator");
    expect(total.some((p) => p.startsWith("windows"))).toBe(false);
    const windowed = drawnPaths("aggregate", spec, { mode: "window", aggregations: [{ fn: "sum" }], windows: [] });
    expect(windowed).toContain("windows");
    expect(windowed).not.toContain("aggregations");
  });
});
