import { describe, expect, it } from "vitest";
import { jsonSafeRows } from "./json-values.ts";
import { openTestDuck } from "./connectors/testing/test-duck.ts";

describe("jsonSafeRows", () => {
  it("makes whole numbers numbers while exact, and timestamps ISO 8601", () => {
    const columns = [
      { name: "a", type: "BIGINT" },
      { name: "b", type: "HUGEINT" },
      { name: "t", type: "TIMESTAMP" },
      { name: "tz", type: "TIMESTAMP WITH TIME ZONE" },
      { name: "d", type: "DATE" },
      { name: "m", type: "DECIMAL(18,3)" },
      { name: "x", type: "DOUBLE" },
    ];
    const rows = [
      { a: "42", b: "-9007199254740991", t: "2024-01-02 03:04:05.123", tz: "2024-01-02 03:04:05+00", d: "2024-01-02", m: "12.500", x: "NaN" },
      { a: "9007199254740993", b: null, t: "infinity", tz: null, d: null, m: null, x: 1.5 },
    ];
    expect(jsonSafeRows(rows, columns)).toEqual([
      { a: 42, b: -9007199254740991, t: "2024-01-02T03:04:05.123", tz: "2024-01-02T03:04:05+00:00", d: "2024-01-02", m: "12.500", x: "NaN" },
      { a: "9007199254740993", b: null, t: "infinity", tz: null, d: null, m: null, x: 1.5 },
    ]);
    expect(JSON.parse(JSON.stringify(jsonSafeRows(rows, columns)))).toEqual(jsonSafeRows(rows, columns));
  });

  it("shows the infinite dates as infinity and -infinity, not as dates one past DuckDB's range", async () => {
    // Previews of a date column holding infinity showed 5881580-07-11.
    const { duck, close } = await openTestDuck();
    try {
      const sql = "SELECT * FROM (VALUES (DATE 'infinity'), (DATE '-infinity'), (DATE '5881580-07-10'), (DATE '2024-02-29')) t(d)";
      const rows = await duck.query(sql);
      expect(jsonSafeRows(rows, [{ name: "d", type: "DATE" }])).toEqual([{ d: "infinity" }, { d: "-infinity" }, { d: "5881580-07-10" }, { d: "2024-02-29" }]);
    } finally {
      close();
    }
  });
});
