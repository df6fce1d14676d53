import { describe, expect, it } from "vitest";
import type { PipelineParameter } from "@sluice/model";
import { compileGraph } from "./compile-graph.ts";
import { resolveParameters } from "./resolve-parameters.ts";
import { validateGraph } from "./validate-graph.ts";
import { emptyEnv, HOSTILE_NAMES } from "../testing/duckdb-harness.ts";
import { edge, fileSink, graph, inlineSource, node } from "../testing/graph-builders.ts";
import { runCompiled } from "../testing/run-compiled.ts";

const declared: PipelineParameter[] = [
  { name: "since", type: "date", default: "2024-01-01" },
  { name: "min_qty", type: "integer", default: 2 },
  { name: "label", type: "string", default: "x" },
  { name: "strict", type: "boolean", default: false },
  { name: "rate", type: "double", default: 0.5 },
];

describe("resolveParameters", () => {
  it("takes defaults, replaced by supplied values, and reads typed text", () => {
    const r = resolveParameters(declared, { min_qty: "7", strict: "TRUE", rate: 2, since: " 2024-03-01 " });
    expect(r.issues).toEqual([]);
    expect(Object.fromEntries([...r.values].map(([k, v]) => [k, v]))).toEqual({
      since: { type: "date", value: "2024-03-01" },
      min_qty: { type: "bigint", value: 7 },
      label: { type: "string", value: "x" },
      strict: { type: "boolean", value: true },
      rate: { type: "double", value: 2 },
    });
  });

  it("names the value to fix: unknown names, wrong types, bad defaults, duplicates", () => {
    const r = resolveParameters(
      [...declared, { name: "since", type: "string", default: "" }, { name: "when", type: "timestamp", default: "yesterday" }],
      { nope: 1, min_qty: "1.5", since: "2024-02-30", strict: 3 },
    );
    expect(r.issues.map((i) => [i.code, i.field])).toEqual([
      ["PARAMETER_DUPLICATE", "parameters.5.name"],
      ["PARAMETER_BAD_DEFAULT", "parameters.6.default"],
      ["PARAMETER_UNKNOWN", "params.nope"],
      ["PARAMETER_INVALID", "params.min_qty"],
      ["PARAMETER_INVALID", "params.since"],
      ["PARAMETER_INVALID", "params.strict"],
    ]);
    expect(r.issues[2]!.message).toContain('it has "since", "min_qty"');
    expect(r.issues[3]!.message).toBe('Parameter "min_qty": "1.5" is not a whole number.');
  });
});

describe("param() in expressions", () => {
  const [, QUOTE] = HOSTILE_NAMES;
  const src = inlineSource(
    "src",
    [{ name: "day", type: "date" }, { name: "qty", type: "integer" }],
    [["2023-12-31", 5], ["2024-01-01", 1], ["2024-02-01", 3], [null, 9]],
  );
  const pipeline = {
    ...graph(
      [
        src,
        node("calc", "derive", {
          derivations: [
            { column: "recent", expression: "day >= param('since')" },
            { column: "big", expression: "qty >= param('min_qty')" },
            { column: QUOTE, expression: "param('label') & '!'" },
          ],
        }),
        fileSink("out"),
      ],
      [edge("e1", "src", "calc"), edge("e2", "calc", "out")],
    ),
    parameters: declared,
  };

  it("types each call as its parameter and runs with the run's values, defaults otherwise", async () => {
    const v = validateGraph(pipeline, emptyEnv);
    expect(v.problems).toEqual([]);
    expect(v.schemas.calc?.map((c) => `${c.name}:${c.type}`)).toEqual(["day:date", "qty:integer", "recent:boolean", "big:boolean", `${QUOTE}:string`]);

    const withDefaults = compileGraph(pipeline, emptyEnv);
    if (!withDefaults.ok) throw new Error(JSON.stringify(withDefaults.issues));
    const a = (await runCompiled(withDefaults.value)).relations["calc.out"]!;
    expect(a.map((r) => [r.recent, r.big, r[QUOTE]])).toEqual([[false, true, "x!"], [true, false, "x!"], [true, true, "x!"], [null, true, "x!"]]);

    // A value that would break out of a quoted literal stays one value.
    const supplied = compileGraph(pipeline, emptyEnv, { params: { since: "2024-01-15", min_qty: 4, label: "it's'); DROP TABLE x; --" } });
    if (!supplied.ok) throw new Error(JSON.stringify(supplied.issues));
    const b = (await runCompiled(supplied.value)).relations["calc.out"]!;
    expect(b.map((r) => [r.recent, r.big, r[QUOTE]])).toEqual([
      [false, true, "it's'); DROP TABLE x; --!"],
      [false, false, "it's'); DROP TABLE x; --!"],
      [true, false, "it's'); DROP TABLE x; --!"],
      [null, true, "it's'); DROP TABLE x; --!"],
    ]);
  });

  it("refuses unknown parameters with a hint, a name that is not quoted text, and bad supplied values", () => {
    const bad = {
      ...pipeline,
      nodes: pipeline.nodes.map((n) =>
        n.id === "calc" ? { ...n, config: { derivations: [{ column: "a", expression: "param('sinse')" }, { column: "b", expression: "param(since)" }] } } : n,
      ),
    };
    const v = validateGraph(bad, emptyEnv);
    expect(v.problems.map((p) => [p.code, p.field, p.message])).toEqual([
      ["UNKNOWN_PARAMETER", "derivations.0.expression", 'there is no parameter "sinse"; did you mean "since"? (at 1:7)'],
      ["EXPRESSION_TYPE_ERROR", "derivations.1.expression", "param() takes the parameter's name in quotes, e.g. param('start_date') (at 1:1)"],
    ]);
    const r = compileGraph(pipeline, emptyEnv, { params: { min_qty: "lots" } });
    expect(r.ok ? [] : r.issues.map((i) => i.code)).toEqual(["PARAMETER_INVALID"]);
  });

  it("a declared parameter whose default does not fit is reported once, at its default, not again as undeclared where it is read", () => {
    const badDefault = { ...pipeline, parameters: declared.map((p) => (p.name === "min_qty" ? { ...p, default: "two" } : p)) };
    const v = validateGraph(badDefault, emptyEnv);
    expect(v.problems.map((p) => [p.code, p.field])).toEqual([["PARAMETER_BAD_DEFAULT", "parameters.1.default"]]);
    // Still not runnable: the default is the problem to fix, with or without a value for this run.
    const r = compileGraph(badDefault, emptyEnv, { params: { min_qty: 3 } });
    expect(r.ok ? [] : r.issues.map((i) => i.code)).toEqual(["PARAMETER_BAD_DEFAULT"]);
  });

  it("filters rows with a parameter in an expression condition", async () => {
    const g = {
      ...graph(
        [src, node("keep", "filter", { condition: { kind: "group", op: "and", conditions: [{ kind: "expression", expression: "day >= param('since')" }] } }), fileSink("out")],
        [edge("e1", "src", "keep"), edge("e2", "keep", "out")],
      ),
      parameters: declared,
    };
    const c = compileGraph(g, emptyEnv, { params: { since: "2024-01-15" } });
    if (!c.ok) throw new Error(JSON.stringify(c.issues));
    expect((await runCompiled(c.value)).relations["keep.out"]!.map((r) => r.qty)).toEqual([3]);
  });
});
