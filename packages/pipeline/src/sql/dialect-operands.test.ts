import { describe, expect, it } from "vitest";
import type { Dialect } from "./dialect.ts";
import { duckdbDialect } from "./duckdb-dialect.ts";
import { postgresDialect } from "./postgres-dialect.ts";

/**
 * Every scalar builder writes each SQL operand at most once (Dialect's rule): operands nest, in expressions and in
 * chains of clean operations, and one written twice doubles the statement at every level. The operands here are
 * compound expressions, so a builder may not take the shortcut it takes for a bare column name.
 *
 * Aggregates are left out: their operands are a node's columns and they do not nest.
 */
const A = "(a_operand + 0)";
const B = "(b_operand + 0)";
const ALL_TYPES = ["string", "bigint", "double", "decimal", "boolean", "date", "timestamp", "json"] as const;

const calls: [string, (d: Dialect) => string[]][] = [
  ["tryCast", (d) => ALL_TYPES.map((type) => d.tryCast(A, { type, precision: 18, scale: 2 }))],
  ["castNumberText", (d) => ["bigint", "double", "decimal"].map((type) => d.castNumberText(A, { type: type as "bigint", precision: 18, scale: 2 }))],
  ["toText", (d) => [...ALL_TYPES, "null" as const].map((t) => d.toText(A, t))],
  ["toJson", (d) => ALL_TYPES.map((t) => d.toJson(A, t))],
  ["parseJson", (d) => [d.parseJson(A)]],
  ["raise", (d) => [d.raise(A, { type: "string" })]],
  ["finite", (d) => [d.finite(A)]],
  ["arithmetic", (d) => (["+", "-", "*", "%"] as const).flatMap((op) => [d.arithmetic(op, A, B, true), d.arithmetic(op, A, B, false)])],
  ["negateWhole, absWhole", (d) => [d.negateWhole(A), d.absWhole(A)]],
  ["divide, power, round", (d) => [d.divide(A, B), d.power(A, B), d.round(A, B)]],
  ["textOrder, textOrdered, changeCase", (d) => [d.textOrder(A), d.textOrdered(A), d.changeCase("lower", A), d.changeCase("upper", A), d.trimSpaceSeparators(A)]],
  ["text tests", (d) => [d.contains(A, B), d.startsWith(A, B), d.endsWith(A, B)]],
  ["textEnd, substr", (d) => [d.textEnd("left", A, B), d.textEnd("right", A, B), d.substr(A, B), d.substr(A, B, "(c_operand + 0)")]],
  ["concat", (d) => [d.concat([A, B], ["double", "date"])]],
  ["regular expressions", (d) => [d.regexMatches(A, "x+", true), d.regexReplace(A, "x+", B)]],
  ["clean operations", (d) => [d.trimSpaces(A), d.collapseSpaces(A), d.nullIf(A, ["'x'", "'y'"]), ...tryEach(() => [d.titleCase(A), d.stripNonPrintable(A)])]],
  ["datePart", (d) => (["year", "month", "day"] as const).map((p) => d.datePart(p, A))],
  ["dateTrunc", (d) => ["year", "quarter", "month", "week", "day", "hour"].flatMap((u) => [d.dateTrunc(u, A, "date"), d.dateTrunc(u, A, "timestamp")])],
  ["dateAdd", (d) => (["year", "month", "day", "hour", "second"] as const).flatMap((u) => [d.dateAdd(A, B, u, "date"), d.dateAdd(A, B, u, "timestamp")])],
  ["dateDiff", (d) => [d.dateDiff("day", A, B), d.dateDiff("month", A, B)]],
  ["formatDate", (d) => [d.formatDate(A, "%Y-%m-%d")]],
  ["parseDate", (d) => [d.parseDate(A, ["%Y-%m-%d"]), d.parseDate(A, ["%d/%m/%Y", "%Y-%m-%d", "%b %d %Y"])]],
  ["parseTimestamp, tryTimestamp", (d) => [d.parseTimestamp(A, "%Y-%m-%d %H:%M"), d.tryTimestamp(A), d.tryTimestampWithOffset(A)]],
  ["time zones", (d) => [d.zonedToUtc(A, "Europe/Paris"), d.instantToUtc(A)]],
];

/** Builders a dialect refuses (DialectUnsupported) write nothing. */
function tryEach(build: () => string[]): string[] {
  try {
    return build();
  } catch {
    return [];
  }
}

const times = (sql: string, operand: string) => sql.split(operand).length - 1;

describe.each([duckdbDialect, postgresDialect])("$name: scalar builders write each operand once", (d) => {
  it.each(calls)("%s", (_name, build) => {
    for (const sql of build(d)) {
      expect(times(sql, A), sql).toBeLessThanOrEqual(1);
      expect(times(sql, B), sql).toBeLessThanOrEqual(1);
    }
  });

  it("writes a bare column name as it is (no binding needed)", () => {
    expect(d.nullIf(`"amount"`, ["'x'"])).not.toMatch(/sluice_v/);
    expect(d.parseJson(`"doc"`)).not.toMatch(/sluice_v/);
  });
});
