import { describe, expect, it } from "vitest";
import { duckdbDialect } from "../../sql/duckdb-dialect.ts";
import { retypeNode } from "./retype.node.ts";
import { runNode, HOSTILE_NAMES } from "../../testing/duckdb-harness.ts";

const [SEL, QUOTE, DROP, SPACE, UNI, APOS] = HOSTILE_NAMES;
const text = (name: string, values: (string | null)[]) => ({ columns: [{ name: "id", type: "integer" as const }, { name, type: "string" as const }], rows: values.map((v, i) => [i + 1, v]) });
const convert = async (values: (string | null)[], target: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
  const r = await runNode(retypeNode, { columns: [{ column: QUOTE, ...target }], ...extra }, { in: [text(QUOTE, values)] });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.rows.out!.map((row) => row[QUOTE]);
};

describe("retype conversions (onError null)", () => {
  it("parses numbers: trims, thousands separators, exponents; rejects junk and overflow", async () => {
    expect(await convert(["1,234.5", " 12 ", "N/A", "-1e-300", "1e300", "1e400", "1,2,3", "", null, "\u00a0.5\t", "+7.", "1e-400", "-1e-400"], { to: "double" })).toEqual([
      1234.5, 12, null, -1e-300, 1e300, null, null, null, null, 0.5, 7, 0, -0,
    ]);
    expect(await convert(["1,234", "12.7", "-0", "2147483648", "9,223,372,036,854,775,807", null], { to: "integer" })).toEqual([1234, null, 0, null, null, null]);
    expect(await convert(["9,223,372,036,854,775,807", "1_000"], { to: "bigint" })).toEqual(["9223372036854775807", null]);
    expect(await convert(["1 234,5", "1 234.5", "1,234"], { to: "double" }, { thousandsSeparator: " " })).toEqual([null, 1234.5, null]);
    expect(await convert(["1,234"], { to: "double" }, { thousandsSeparator: null })).toEqual([null]);
    expect(await convert(["1234.567", "12345.6", "-0.005"], { to: "decimal", precision: 6, scale: 2 })).toEqual(["1234.57", null, "-0.01"]);
  });

  it("reads very long numbers, exponents and the ends of the ranges (a database reads most numbers without its catch-all helper)", async () => {
    expect(await convert([`${"0".repeat(120)}42`, "-9,223,372,036,854,775,808", "-9223372036854775809", "+0"], { to: "bigint" })).toEqual(["42", "-9223372036854775808", null, "0"]);
    expect(await convert(["2,147,483,647", "-2147483648", "-2147483649"], { to: "integer" })).toEqual([2147483647, -2147483648, null]);
    expect(await convert(["1.5e2", "1e20", "+.5", `${"0".repeat(1200)}1.25`, "9999.994", "9999.995", "-9999.995"], { to: "decimal", precision: 6, scale: 2 })).toEqual([
      "150.00", null, "0.50", "1.25", "9999.99", null, null,
    ]);
  });

  it("parses booleans with configurable words, case-insensitively", async () => {
    expect(await convert(["TRUE", " No ", "y", "0", "maybe", null, "Ja"], { to: "boolean" })).toEqual([true, false, true, false, null, null, null]);
    expect(await convert(["JA", "nein", "yes"], { to: "boolean" }, { booleanWords: { true: ["ja"], false: ["Nein"] } })).toEqual([true, false, null]);
  });

  it("parses dates and timestamps with formats tried in order", async () => {
    expect(await convert(["2024-02-29", "2024-02-30", "2024-01-01 10:00", null], { to: "date" })).toEqual(["2024-02-29", null, null, null]);
    expect(await convert(["12/03/2024", "2024-03-12", "31/02/2024"], { to: "date", formats: ["%Y-%m-%d", "%d/%m/%Y"] })).toEqual(["2024-03-12", "2024-03-12", null]);
    expect(await convert(["2024-1-5", "28/2/2023", "29/02/2023", "31/12/2024", "2024-12-31", "2024-13-01"], { to: "date", formats: ["%Y-%m-%d", "%d/%m/%Y"] })).toEqual([
      "2024-01-05", "2023-02-28", null, "2024-12-31", "2024-12-31", null,
    ]);
    expect(await convert(["2024-01-01T10:00:00", "2024-01-01", "nope"], { to: "timestamp" })).toEqual(["2024-01-01 10:00:00", "2024-01-01 00:00:00", null]);
    expect(await convert(["01.02.2024 13:45"], { to: "timestamp", formats: ["%d.%m.%Y %H:%M"] })).toEqual(["2024-02-01 13:45:00"]);
  });

  it("converts a value with spaces of any kind around it exactly as the bare value (read as it is first, trimmed only if that fails)", async () => {
    const wraps = [(v: string) => ` ${v}`, (v: string) => `${v}  `, (v: string) => `\t${v}\n`, (v: string) => `\u00a0${v}`, (v: string) => `\u3000${v}\u2003`, (v: string) => ` ${v}\u00a0`];
    const cases: [string[], Record<string, unknown>, Record<string, unknown>?][] = [
      [["42", "-7", "+0", "1,234", "12.5", "x", "", "1 234"], { to: "integer" }],
      [["1,234.5", ".5", "7.", "-1e3", "1e400", "n/a", "1 234.5"], { to: "double" }],
      [["1 234,5", "1234,5", "12,3,4", ",5"], { to: "decimal", precision: 10, scale: 2 }, { thousandsSeparator: " ", decimalSeparator: "," }],
      [["yes", "No", "TRUE", "nope", ""], { to: "boolean" }],
      [["2024-03-12", "12/03/2024", "2024-3-5", "31/02/2024", "12 Mar 2024", "2024-03-12 10:00", "nope"], { to: "date", formats: ["%Y-%m-%d", "%d/%m/%Y", "%d %b %Y"] }],
      [["2024-03-12", "x2024-03-12"], { to: "date", formats: ["x%Y-%m-%d", "%Y-%m-%d "] }],
    ];
    for (const [bare, target, extra] of cases) {
      const wrapped = bare.flatMap((v) => wraps.map((w) => w(v)));
      const expected = (await convert(bare, target, extra)).flatMap((v) => wraps.map(() => v));
      expect(await convert(wrapped, target, extra), JSON.stringify(target)).toEqual(expected);
    }
  });

  it("parses JSON and leaves unicode text alone", async () => {
    expect(await convert(['{"ü": 1}', "{bad", "[1, 2]"], { to: "json" })).toEqual(['{"ü": 1}', null, "[1, 2]"]);
    expect(await convert(["ünï", null], { to: "string" })).toEqual(["ünï", null]);
  });

  it("converts between non-text types; fractional numbers never become integers", async () => {
    const input = {
      columns: [{ name: SEL, type: "double" as const }, { name: UNI, type: "date" as const }, { name: APOS, type: "integer" as const }],
      rows: [[1.5, "2024-01-02", 0], [-3, null, 5], [null, "1999-12-31", null], [1e300, "2024-01-02", 1]],
    };
    const r = await runNode(retypeNode, { columns: [{ column: SEL, to: "integer" }, { column: UNI, to: "timestamp" }, { column: APOS, to: "boolean" }] }, { in: [input] });
    expect(r.ok && r.rows.out).toEqual([
      { [SEL]: null, [UNI]: "2024-01-02 00:00:00", [APOS]: false },
      { [SEL]: -3, [UNI]: null, [APOS]: true },
      { [SEL]: null, [UNI]: "1999-12-31 00:00:00", [APOS]: null },
      { [SEL]: null, [UNI]: "2024-01-02 00:00:00", [APOS]: true },
    ]);
    expect(r.ok && r.schemas.out).toEqual([{ name: SEL, type: "integer" }, { name: UNI, type: "timestamp" }, { name: APOS, type: "boolean" }]);
    expect(r.ok && r.actualTypes.out).toEqual(r.ok && r.schemas.out);
  });
});

describe("retype onError", () => {
  const input = {
    columns: [{ name: SEL, type: "string" as const }, { name: DROP, type: "string" as const }],
    rows: [["1", "2024-01-01"], ["abc", "2024-01-01"], [null, null], ["3", "soon"], ["x", "y"]],
  };
  const config = (onError: string) => ({ onError, columns: [{ column: SEL, to: "double" }, { column: DROP, to: "date" }] });

  it("drop removes rows with any failure; rejects stays empty", async () => {
    const r = await runNode(retypeNode, config("drop"), { in: [input] });
    expect(r.ok && r.rows.out).toEqual([{ [SEL]: 1, [DROP]: "2024-01-01" }, { [SEL]: null, [DROP]: null }]);
    expect(r.ok && r.rows.rejects).toEqual([]);
  });

  it("reject routes failed rows, with their original values and an error text, to rejects", async () => {
    const r = await runNode(retypeNode, config("reject"), { in: [input] });
    expect(r.ok && r.rows.out).toEqual([{ [SEL]: 1, [DROP]: "2024-01-01" }, { [SEL]: null, [DROP]: null }]);
    expect(r.ok && r.rows.rejects).toEqual([
      { [SEL]: "abc", [DROP]: "2024-01-01", _error: 'column "select": "abc" is not a double' },
      { [SEL]: "3", [DROP]: "soon", _error: 'column "x; drop table y": "soon" is not a date' },
      { [SEL]: "x", [DROP]: "y", _error: 'column "select": "x" is not a double; column "x; drop table y": "y" is not a date' },
    ]);
    expect(r.ok && r.schemas.rejects).toEqual([...input.columns, { name: "_error", type: "string" }]);
  });

  it("fail raises an error naming the column and the value", async () => {
    const r = await runNode(retypeNode, config("fail"), { in: [input] });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.stage).toBe("execute");
    expect(!r.ok && r.message).toContain('column "select": "abc" is not a double');
  });

  it("fail passes when every value converts, and on empty input", async () => {
    const good = { ...input, rows: [["1", "2024-01-01"], [null, null]] };
    const r = await runNode(retypeNode, config("fail"), { in: [good] });
    expect(r.ok && r.rows.out).toEqual([{ [SEL]: 1, [DROP]: "2024-01-01" }, { [SEL]: null, [DROP]: null }]);
    const e = await runNode(retypeNode, config("reject"), { in: [{ ...input, rows: [] }] });
    expect(e.ok && [e.rows.out, e.rows.rejects]).toEqual([[], []]);
  });

  it("escapes quotes in the error message of a hostile column name", async () => {
    const r = await runNode(retypeNode, { onError: "fail", columns: [{ column: APOS, to: "integer" }] }, { in: [text(APOS, ["o'k"])] });
    expect(!r.ok && r.message).toContain(`column "'quoted'": "o'k" is not an integer`);
  });
});

describe("retype issues", () => {
  const input = { columns: [{ name: SPACE, type: "date" as const }, { name: "_error", type: "string" as const }], rows: [] };
  const codes = async (config: unknown) => {
    const r = await runNode(retypeNode, config, { in: [input] });
    return r.ok ? [] : r.issues.map((i) => [i.code, i.field]);
  };
  it("reports unknown columns, impossible conversions, bad formats and duplicates", async () => {
    expect(await codes({ columns: [{ column: "with spaces", to: "string" }] })).toEqual([["UNKNOWN_COLUMN", "columns.0.column"]]);
    expect(await codes({ columns: [{ column: SPACE, to: "integer" }] })).toEqual([["TYPE_MISMATCH", "columns.0.to"]]);
    expect(await codes({ columns: [{ column: "_error", to: "date", formats: ["%d/%Q"] }] })).toEqual([["INVALID_FORMAT", "columns.0.formats.0"]]);
    expect(await codes({ columns: [{ column: "_error", to: "decimal", precision: 4, scale: 6 }] })).toEqual([["INVALID_DECIMAL", "columns.0.scale"]]);
    expect(await codes({ columns: [{ column: SPACE, to: "string" }, { column: SPACE, to: "json" }] })).toEqual([["DUPLICATE_COLUMN", "columns.1.column"]]);
    expect(await codes({ onError: "reject" })).toEqual([["DUPLICATE_COLUMN", "onError"]]);
    expect(await codes({ onError: "explode" })).toEqual([["INVALID_CONFIG", "onError"]]);
  });
});

describe("retype decimal separator", () => {
  it("reads a decimal comma, with . or no thousands grouping", async () => {
    const european = { decimalSeparator: ",", thousandsSeparator: "." };
    expect(await convert(["424,19", "1.234,56", "-0,5", "12", ",5", "1,234.56", "1.23,4", null], { to: "double" }, european)).toEqual([424.19, 1234.56, -0.5, 12, 0.5, null, null, null]);
    expect(await convert(["424,19", "1.234,567"], { to: "decimal", precision: 10, scale: 2 }, european)).toEqual(["424.19", "1234.57"]);
    expect(await convert(["1.234", "1,5"], { to: "integer" }, european)).toEqual([1234, null]);
    expect(await convert(["1 234,5"], { to: "double" }, { decimalSeparator: ",", thousandsSeparator: " " })).toEqual([1234.5]);
    expect(await convert(["424,19"], { to: "double" }, { decimalSeparator: ",", thousandsSeparator: null })).toEqual([424.19]);
  });

  it("refuses the same character as decimal point and thousands separator", async () => {
    const r = await runNode(retypeNode, { decimalSeparator: ",", columns: [{ column: QUOTE, to: "double" }] }, { in: [text(QUOTE, ["1"])] });
    expect(!r.ok && r.issues.map((i) => [i.code, i.field])).toEqual([["INVALID_SEPARATORS", "thousandsSeparator"]]);
  });
});

describe("retype time zones", () => {
  const mixed = ["2024-06-01 12:00:00", "2024-06-01 12:00:00+02:00", "2024-06-01T12:00:00Z", "2024-06-01 12:00:00-05", "2024-06-01", "2024-01-15 12:00:00"];
  it("reads naive timestamps in UTC by default and ones with an offset at their offset, giving UTC", async () => {
    expect(await convert(mixed, { to: "timestamp" })).toEqual(["2024-06-01 12:00:00", "2024-06-01 10:00:00", "2024-06-01 12:00:00", "2024-06-01 17:00:00", "2024-06-01 00:00:00", "2024-01-15 12:00:00"]);
  });

  it("reads naive timestamps in the stated zone, daylight saving included", async () => {
    expect(await convert(mixed, { to: "timestamp" }, { timeZone: "America/New_York" })).toEqual(["2024-06-01 16:00:00", "2024-06-01 10:00:00", "2024-06-01 12:00:00", "2024-06-01 17:00:00", "2024-06-01 04:00:00", "2024-01-15 17:00:00"]);
  });

  it("reads a time the clocks skip at the offset before the change, and one they repeat as its second, standard-time occurrence", async () => {
    const times = ["2024-03-10 01:59:59", "2024-03-10 02:30:00", "2024-03-10 03:00:00", "2024-11-03 00:59:59", "2024-11-03 01:30:00", "2024-11-03 02:00:00"];
    expect(await convert(times, { to: "timestamp" }, { timeZone: "America/New_York" })).toEqual([
      "2024-03-10 06:59:59", "2024-03-10 07:30:00", "2024-03-10 07:00:00", "2024-11-03 04:59:59", "2024-11-03 06:30:00", "2024-11-03 07:00:00",
    ]);
  });

  it("applies the zone to formats without %z, and the written offset with it", async () => {
    const formats = ["%d.%m.%Y %H:%M %z", "%d.%m.%Y %H:%M"];
    expect(await convert(["01.06.2024 12:00 +0200", "01.06.2024 12:00", "junk"], { to: "timestamp", formats }, { timeZone: "Europe/Berlin" })).toEqual(["2024-06-01 10:00:00", "2024-06-01 10:00:00", null]);
  });

  it("refuses a zone that is not an IANA name", async () => {
    for (const timeZone of ["Mars/Olympus_Mons", "+02:00", ""]) {
      const r = await runNode(retypeNode, { timeZone, columns: [] }, { in: [text(QUOTE, [])] });
      expect(!r.ok && r.issues.map((i) => [i.code, i.field])).toEqual([["INVALID_CONFIG", "timeZone"]]);
    }
  });
});

describe("retype migration from version 1", () => {
  const up = retypeNode.migrations![0]!.up;
  const v1 = { columns: [{ column: QUOTE, to: "double" }], thousandsSeparator: "," };
  it("adds the decimal point and UTC, which read text as version 1 did", async () => {
    expect(up(v1)).toEqual({ ...v1, decimalSeparator: ".", timeZone: "UTC" });
    expect(up({ ...v1, decimalSeparator: ",", timeZone: "Europe/Berlin" })).toEqual({ ...v1, decimalSeparator: ",", timeZone: "Europe/Berlin" });
    expect(await convert(["1,234.5", "2,5"], { to: "double" }, up({ thousandsSeparator: "," }))).toEqual([1234.5, null]);
    expect(await convert(["2024-01-01 10:00"], { to: "timestamp" }, up({}))).toEqual(["2024-01-01 10:00:00"]);
  });
});

describe("retype values that became null", () => {
  it("compiles a count of the non-null values each conversion nulls, with onError null only", async () => {
    const compiled = (onError: string) =>
      retypeNode.compile(
        { nodeId: "r", inputs: { in: [[{ name: QUOTE, type: "string" }, { name: "n", type: "double" }]] }, relations: { in: ["src"] }, outputs: {}, dialect: duckdbDialect } as never,
        retypeNode.configSchema.parse({ onError, columns: [{ column: QUOTE, to: "double" }, { column: "n", to: "double" }] }) as never,
      );
    const step = compiled("null");
    expect(step.kind === "query" && step.becameNull?.columns).toEqual([{ column: QUOTE, field: "columns.0.column" }]);
    const other = compiled("drop");
    expect(other.kind === "query" && other.becameNull).toBeUndefined();
  });
});
