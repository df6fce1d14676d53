import { describe, expect, it } from "vitest";
import { filterNode } from "./filter.node.ts";
import { runNode, HOSTILE_NAMES } from "../../testing/duckdb-harness.ts";
import { pushableToPostgres } from "../../testing/pushable.ts";

const [SEL, QUOTE, DROP, , UNI] = HOSTILE_NAMES;
const input = {
  columns: [
    { name: "id", type: "integer" as const },
    { name: SEL, type: "string" as const },
    { name: QUOTE, type: "double" as const },
    { name: UNI, type: "date" as const },
    { name: DROP, type: "boolean" as const },
  ],
  rows: [
    [1, "Apple", 1.5, "2024-01-01", true],
    [2, null, null, null, null],
    [3, "ünïcode pear", 1e300, "2024-06-30", false],
    [4, "apple pie", -1e-300, "2023-12-31", true],
    [5, "Ba'na\"na", 0, "2024-03-01", false],
  ],
};
const rule = (column: string, operator: string, extra: Record<string, unknown> = {}) => ({ kind: "rule", column, operator, ...extra });
const all = (...conditions: unknown[]) => ({ condition: { kind: "group", op: "and", conditions } });
const any = (...conditions: unknown[]) => ({ kind: "group", op: "or", conditions });
const ids = async (config: unknown, table = input) => {
  const r = await runNode(filterNode, config, { in: [table] });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.rows.out!.map((row) => row.id);
};

describe("filter", () => {
  it("keeps all rows, in order, with an empty group", async () => {
    expect(await ids({})).toEqual([1, 2, 3, 4, 5]);
    const r = await runNode(filterNode, {}, { in: [input] });
    expect(r.ok && r.schemas.out).toEqual(input.columns);
    expect(r.ok && r.rows.out?.[1]).toEqual({ id: 2, [SEL]: null, [QUOTE]: null, [UNI]: null, [DROP]: null });
  });

  it("compares with typed literals; null never matches a comparison", async () => {
    expect(await ids(all(rule(QUOTE, ">", { value: 1 })))).toEqual([1, 3]);
    expect(await ids(all(rule(QUOTE, "<", { value: "0" })))).toEqual([4]);
    expect(await ids(all(rule(QUOTE, "!=", { value: 0 })))).toEqual([1, 3, 4]);
    expect(await ids(all(rule(UNI, ">=", { value: "2024-03-01" })))).toEqual([3, 5]);
    expect(await ids(all(rule(DROP, "=", { value: true })))).toEqual([1, 4]);
    expect(await ids(all(rule(SEL, "=", { value: null })))).toEqual([]);
    expect(await ids(all(rule(UNI, "between", { value: "2024-01-01", value2: "2024-03-01" })))).toEqual([1, 5]);
  });

  it("handles in / not_in, ignoring null list entries", async () => {
    expect(await ids(all(rule("id", "in", { values: [1, 3, null] })))).toEqual([1, 3]);
    expect(await ids(all(rule(SEL, "not_in", { values: ["Apple", null] })))).toEqual([3, 4, 5]);
    expect(await ids(all(rule(SEL, "not_in", { values: [] })))).toEqual([1, 3, 4, 5]);
    expect(await ids(all(rule(SEL, "in", { values: [] })))).toEqual([]);
  });

  it("null checks", async () => {
    expect(await ids(all(rule(SEL, "is_null")))).toEqual([2]);
    expect(await ids(all(rule(QUOTE, "is_not_null")))).toEqual([1, 3, 4, 5]);
  });

  it("text operators, unicode, quotes and case", async () => {
    expect(await ids(all(rule(SEL, "contains", { value: "pple" })))).toEqual([1, 4]);
    expect(await ids(all(rule(SEL, "starts_with", { value: "apple" })))).toEqual([4]);
    expect(await ids(all(rule(SEL, "starts_with", { value: "apple", ignoreCase: true })))).toEqual([1, 4]);
    expect(await ids(all(rule(SEL, "ends_with", { value: 'a"na' })))).toEqual([5]);
    expect(await ids(all(rule(SEL, "contains", { value: "a'n" })))).toEqual([5]);
    expect(await ids(all(rule(SEL, "starts_with", { value: "ünï" })))).toEqual([3]);
    expect(await ids(all(rule(SEL, "matches_regex", { value: "^[Aa]pple$" })))).toEqual([1]);
    expect(await ids(all(rule(SEL, "matches_regex", { value: "PIE", ignoreCase: true })))).toEqual([4]);
  });

  it("nests and/or groups", async () => {
    expect(await ids(all(any(rule("id", "=", { value: 1 }), rule("id", "=", { value: 5 })), rule(DROP, "=", { value: false })))).toEqual([5]);
    expect(await ids({ condition: any(rule(SEL, "is_null"), all(rule("id", ">", { value: 3 })).condition) })).toEqual([2, 4, 5]);
    expect(await ids({ condition: any() })).toEqual([1, 2, 3, 4, 5]);
  });

  it("takes true/false expressions beside rules; a null result does not keep the row", async () => {
    const expr = (expression: string) => ({ kind: "expression", expression });
    expect(await ids(all(expr(`contains([${SEL}], 'pp') or id = 5`)))).toEqual([1, 4, 5]);
    expect(await ids(all(expr(`[${QUOTE}] >= 0`), rule(DROP, "=", { value: false })))).toEqual([3, 5]);
    expect(await ids(all(any(expr(`year([${UNI}]) = 2023`), rule("id", "=", { value: 1 }))))).toEqual([1, 4]);
    const bad = await runNode(filterNode, all(expr("id + 1"), expr(""), expr("nope > 1")), { in: [input] });
    expect(!bad.ok && bad.issues.map((i) => [i.code, i.field])).toEqual([
      ["EXPRESSION_TYPE_ERROR", "condition.conditions.0.expression"],
      ["UNKNOWN_COLUMN", "condition.conditions.2.expression"],
    ]);
  });

  it("leaves out a rule or expression still being written, in any group, and warns about each", async () => {
    const expr = (expression: string) => ({ kind: "expression", expression });
    // A rule just added in the inspector: a column and an operator, no value yet. It must not drop every row.
    const fresh = all(rule("id", "="));
    expect(await ids(fresh)).toEqual([1, 2, 3, 4, 5]);
    expect(filterNode.summary(filterNode.configSchema.parse(fresh))).toBe("keep all rows");
    expect(await ids(all(rule(QUOTE, ">", { value: 1 }), rule(SEL, "contains"), rule("id", "in"), expr(" ")))).toEqual([1, 3]);
    expect(await ids(all(any(rule("id", "=", { value: 2 }), rule("id", "between", { value: 4 }))))).toEqual([2]);
    const config = filterNode.configSchema.parse(all(rule("id", "="), any(rule("id", "between", { value: 1 }), rule("id", "not_in")), expr(""), rule(SEL, "is_null")));
    expect(filterNode.warnings!(config).map((i) => [i.severity, i.code, i.field, i.message])).toEqual([
      ["warning", "INCOMPLETE_CONDITION", "condition.conditions.0.value", 'Incomplete: "equals" needs a value. Until then this rule is not applied.'],
      ["warning", "INCOMPLETE_CONDITION", "condition.conditions.1.conditions.0.value2", 'Incomplete: "is between" needs a second value. Until then this rule is not applied.'],
      ["warning", "INCOMPLETE_CONDITION", "condition.conditions.1.conditions.1.values", 'Incomplete: "is none of" needs a list of values. Until then this rule is not applied.'],
      ["warning", "INCOMPLETE_CONDITION", "condition.conditions.2.expression", "Incomplete: write a true/false expression. Until then this condition is not applied."],
    ]);
    // A null value is given, not missing: applied as written, it keeps nothing.
    expect(filterNode.warnings!(filterNode.configSchema.parse(all(rule("id", "=", { value: null }))))).toEqual([]);
  });

  it("describes a rule on the card in the inspector's words for its operator", () => {
    const summary = (config: unknown) => filterNode.summary(filterNode.configSchema.parse(config));
    expect(summary(all(rule("order_id", "is_not_null")))).toBe("keep order_id is not null");
    expect(summary(all(rule("amount", ">=", { value: 10 }), rule("country", "in", { values: ["DE", "FR"] })))).toBe('keep (amount is at least 10 and country is one of ["DE", "FR"])');
    expect(summary(all(rule("day", "between", { value: "2024-01-01", value2: "2024-03-01" })))).toBe('keep day is between "2024-01-01" and "2024-03-01"');
  });

  it("handles an empty input", async () => {
    expect(await ids(all(rule("id", ">", { value: 0 })), { ...input, rows: [] })).toEqual([]);
  });

  it("reports problems as issues", async () => {
    const codes = async (config: unknown) => {
      const r = await runNode(filterNode, config, { in: [input] });
      return r.ok ? [] : r.issues.map((i) => [i.code, i.field]);
    };
    expect(await codes(all(rule("ID", "=", { value: 1 })))).toEqual([["UNKNOWN_COLUMN", "condition.conditions.0.column"]]);
    expect(await codes(all(rule("id", "contains", { value: "1" })))).toEqual([["TYPE_MISMATCH", "condition.conditions.0.operator"]]);
    expect(await codes(all(rule(SEL, "matches_regex", { value: "(a" })))).toEqual([["INVALID_REGEX", "condition.conditions.0.value"]]);
    expect(await codes(all(rule(SEL, "matches_regex", { value: "a(?=b)" })))).toEqual([["INVALID_REGEX", "condition.conditions.0.value"]]);
    expect(await codes(all(any(rule("id", "=", { value: "abc" }))))).toEqual([["BAD_VALUE", "condition.conditions.0.conditions.0.value"]]);
    // The missing second value makes the rule incomplete (a warning); the first is still checked.
    expect(await codes(all(rule(UNI, "between", { value: "2024-02-30" })))).toEqual([["BAD_VALUE", "condition.conditions.0.value"]]);
    expect(await codes(all(rule("id", "in", { values: [2147483647, "2147483648"] })))).toEqual([["BAD_VALUE", "condition.conditions.0.values.1"]]);
    // ignoreCase where it would be ignored is refused, not applied as if case mattered; false is the default, so fine.
    expect(await codes(all(rule(SEL, "=", { value: "Apple", ignoreCase: true })))).toEqual([["INVALID_CONFIG", "condition.conditions.0.ignoreCase"]]);
    expect(await codes(all(any(rule("id", "in", { values: [1], ignoreCase: true }))))).toEqual([["INVALID_CONFIG", "condition.conditions.0.conditions.0.ignoreCase"]]);
    expect(await codes(all(rule(SEL, "=", { value: "Apple", ignoreCase: false })))).toEqual([]);
    // A decimal column is called decimal, as the catalog names it, though expressions compute it as double.
    const money = { columns: [{ name: "amount", type: "decimal" as const, precision: 10, scale: 2 }], rows: [] };
    const r = await runNode(filterNode, all({ kind: "expression", expression: "amount" }), { in: [money] });
    expect(!r.ok && r.issues.map((i) => i.message)).toEqual(["A condition must be true or false for each row, not decimal."]);
  });

  it("compares JSON by its text, and so does not run = != in not_in on JSON inside PostgreSQL, whose jsonb compares values", async () => {
    // In PostgreSQL {"a": 1} = '{"a":1}' was true, so = kept two rows and != dropped one that DuckDB keeps.
    const json = { columns: [{ name: "j", type: "json" as const }, { name: "n", type: "integer" as const }], rows: [['{"a": 1}', 1], ['{"a":1}', 2], [null, 3]] };
    const kept = async (config: unknown) => {
      const r = await runNode(filterNode, config, { in: [json] });
      return r.ok ? r.rows.out!.map((row) => row.n) : r;
    };
    expect(await kept(all(rule("j", "=", { value: '{"a":1}' })))).toEqual([2]);
    expect(await kept(all(rule("j", "!=", { value: '{"a":1}' })))).toEqual([1]);
    expect(await kept(all(rule("j", "in", { values: ['{"a":1}'] })))).toEqual([2]);
    expect(await kept(all(rule("j", "not_in", { values: ['{"a":1}'] })))).toEqual([1]);
    for (const operator of ["=", "!=", "in", "not_in"]) {
      const config = all(rule("j", operator, operator.includes("in") ? { values: ['{"a":1}'] } : { value: '{"a":1}' }));
      expect(pushableToPostgres(filterNode, config, { in: [json] })).toEqual({ ok: false, reason: expect.stringContaining("JSON values are told apart by their text") });
    }
    // A null test, an empty list and other columns still run there.
    expect(pushableToPostgres(filterNode, all(rule("j", "is_null"), rule("j", "not_in", { values: [] }), rule("n", "=", { value: 2 })), { in: [json] })).toEqual({ ok: true });
  });
});
