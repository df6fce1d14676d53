import { describe, expect, it } from "vitest";
import { valueProblem } from "./values.ts";
import { runNode } from "../testing/duckdb-harness.ts";
import { filterNode } from "../nodes/clean/filter.node.ts";

const double = { type: "double" as const };
const money = { type: "decimal" as const, precision: 10, scale: 2 };

describe("valueProblem", () => {
  it("takes numbers in decimal notation only, as the engines' casts do", () => {
    for (const ok of ["12.5", " -3 ", "+1", ".5", "5.", "1e6", "1E-7", "0"]) {
      expect(valueProblem(ok, double), ok).toBeUndefined();
      expect(valueProblem(ok, money), ok).toBeUndefined();
    }
    expect(valueProblem(1e21, double)).toBeUndefined();
    // JavaScript's Number reads these; DuckDB's and PostgreSQL's casts refuse them or read infinity.
    for (const bad of ["0x10", "0b1", "0o7", "Infinity", "-Infinity", "NaN", "1_000", "", "1,5", "1e"]) {
      expect(valueProblem(bad, double), bad).toMatch(/^is not a number/);
      expect(valueProblem(bad, money), bad).toMatch(/^is not a number/);
    }
  });

  it("says a number past a double's range is out of range, not that it is no number", () => {
    expect(valueProblem("1e400", double)).toBe("is beyond the range of a double (about ±1.8e308)");
    expect(valueProblem("-1e400", money)).toBe("has too many digits for decimal(10,2)");
    expect(valueProblem("1e-400", double)).toBeUndefined();
  });

  it("refuses a time of day that does not exist, which the engines' casts fail on, and takes those they read", () => {
    const ts = { type: "timestamp" as const };
    for (const ok of ["2024-01-01", "2024-01-01 00:00", "2024-01-01 23:59:59", "2024-01-01T10:00", "2024-01-01 09:30:00.123456", "2024-01-01 24:00:00"]) {
      expect(valueProblem(ok, ts), ok).toBeUndefined();
    }
    for (const bad of ["2024-01-01 25:00:00", "2024-01-01 12:60", "2024-01-01 23:59:60", "2024-01-01 99:99", "2024-01-01 24:30"]) {
      expect(valueProblem(bad, ts), bad).toBe("is not a timestamp (YYYY-MM-DD HH:MM:SS)");
    }
  });

  it("refuses a filter value the run's cast would fail on, where it is typed", async () => {
    const input = { columns: [{ name: "x", ...double }], rows: [[16], [1]] };
    const r = await runNode(filterNode, { condition: { kind: "group", op: "and", conditions: [{ kind: "rule", column: "x", operator: "=", value: "0x10" }] } }, { in: [input] });
    expect(!r.ok && r.issues.map((i) => [i.code, i.field])).toEqual([["BAD_VALUE", "condition.conditions.0.value"]]);
  });
});
