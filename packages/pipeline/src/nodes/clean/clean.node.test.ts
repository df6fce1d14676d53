import { describe, expect, it } from "vitest";
import { cleanNode } from "./clean.node.ts";
import { runNode, HOSTILE_NAMES } from "../../testing/duckdb-harness.ts";
import type { Dialect } from "../../sql/dialect.ts";
import { duckdbDialect } from "../../sql/duckdb-dialect.ts";
import { postgresDialect } from "../../sql/postgres-dialect.ts";

const [SEL, QUOTE, DROP, SPACE, UNI, APOS] = HOSTILE_NAMES;
const input = {
  columns: [
    { name: SEL, type: "string" as const },
    { name: QUOTE, type: "double" as const },
    { name: UNI, type: "date" as const },
    { name: APOS, type: "string" as const },
  ],
  rows: [
    ["  Hello   wORLD\t", 1.5, "2024-01-01", "N/A"],
    [null, null, null, null],
    ["\u00a0ünï\u200b cödé 3rd\u0007", 1e300, "2024-06-30", "o'neil"],
    ["", -1e-300, null, "-"],
  ],
};
const col = (column: string, ...operations: unknown[]) => ({ column, operations });
const run = async (config: unknown, table = input) => {
  const r = await runNode(cleanNode, config, { in: [table] });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.rows.out!;
};
const values = async (name: string, config: unknown) => (await run(config)).map((r) => r[name]);

describe("clean", () => {
  it("trims and collapses all kinds of whitespace", async () => {
    expect(await values(SEL, { columns: [col(SEL, { op: "trim" })] })).toEqual(["Hello   wORLD", null, "ünï\u200b cödé 3rd\u0007", ""]);
    expect(await values(SEL, { columns: [col(SEL, { op: "collapse_spaces" })] })).toEqual([" Hello wORLD ", null, " ünï\u200b cödé 3rd\u0007", ""]);
  });

  it("strips non-printable characters, then trims", async () => {
    expect(await values(SEL, { columns: [col(SEL, { op: "strip_non_printable" }, { op: "trim" })] })).toEqual(["Hello   wORLD", null, "ünï cödé 3rd", ""]);
  });

  it("changes case, including unicode and title case", async () => {
    const ops = (to: string) => ({ columns: [col(SEL, { op: "strip_non_printable" }, { op: "collapse_spaces" }, { op: "trim" }, { op: "case", to })] });
    expect(await values(SEL, ops("lower"))).toEqual(["hello world", null, "ünï cödé 3rd", ""]);
    expect(await values(SEL, ops("upper"))).toEqual(["HELLO WORLD", null, "ÜNÏ CÖDÉ 3RD", ""]);
    expect(await values(SEL, ops("title"))).toEqual(["Hello World", null, "Ünï Cödé 3rd", ""]);
    expect(await values(APOS, { columns: [col(APOS, { op: "case", to: "title" })] })).toEqual(["N/A", null, "O'Neil", "-"]);
  });

  it("cases as DuckDB does, in the database too: ß upper-cases to ẞ", async () => {
    const table = { columns: [{ name: SEL, type: "string" as const }], rows: [["Straße"], ["ẞ"], [null]] };
    const cased = async (to: string) => (await run({ columns: [col(SEL, { op: "case", to })] }, table as never)).map((r) => r[SEL]);
    expect(await cased("upper")).toEqual(["STRAẞE", "ẞ", null]);
    expect(await cased("lower")).toEqual(["straße", "ß", null]);
  });

  it("replaces by regex with group references and quotes", async () => {
    expect(await values(APOS, { columns: [col(APOS, { op: "replace", pattern: "(o)'(n)", replacement: "\\2'\\1" })] })).toEqual(["N/A", null, "n'oeil", "-"]);
  });

  it("nulls listed values and fills nulls, typed to the column", async () => {
    expect(await values(APOS, { columns: [col(APOS, { op: "null_if", values: ["N/A", "-"] })] })).toEqual([null, null, "o'neil", null]);
    expect(await values(QUOTE, { columns: [col(QUOTE, { op: "null_if", values: [1.5] }, { op: "fill_null", value: "-0.25" })] })).toEqual([-0.25, -0.25, 1e300, -1e-300]);
    expect(await values(UNI, { columns: [col(UNI, { op: "fill_null", value: "1970-01-01" })] })).toEqual(["2024-01-01", "1970-01-01", "2024-06-30", "1970-01-01"]);
  });

  it("nulls values after other operations, through a chain of null_if", async () => {
    const ops = [{ op: "trim" }, { op: "null_if", values: ["N/A"] }, { op: "case", to: "upper" }, { op: "null_if", values: ["-", "O'NEIL"] }, { op: "fill_null", value: "none" }];
    expect(await values(APOS, { columns: [col(APOS, ...ops)] })).toEqual(["none", "none", "none", "none"]);
    expect(await values(SEL, { columns: [col(SEL, { op: "trim" }, { op: "null_if", values: [""] }, { op: "null_if", values: ["Hello   wORLD"] })] })).toEqual([null, null, "ünï\u200b cödé 3rd\u0007", null]);
  });

  it("writes a long chain of operations in SQL that grows linearly, and runs it", async () => {
    const chain = (n: number) => Array.from({ length: n }, (_, i) => [{ op: "trim" }, { op: "null_if", values: [`v${i}`, "-"] }, { op: "replace", pattern: "x", replacement: "y" }][i % 3]);
    const sql = (n: number, dialect: Dialect) => {
      const config = cleanNode.configSchema.parse({ columns: [col(APOS, ...chain(n))] });
      const step = cleanNode.compile({ nodeId: "c", inputs: { in: [input.columns] }, relations: { in: ["t"] }, outputs: { out: input.columns }, dialect } as never, config);
      return step.kind === "query" ? step.outputs.out!.length : 0;
    };
    for (const dialect of [duckdbDialect, postgresDialect]) expect(sql(120, dialect), dialect.name).toBeLessThan(5 * sql(30, dialect));
    expect(await values(APOS, { columns: [col(APOS, ...chain(90))] })).toEqual(["N/A", null, "o'neil", null]);
  });

  it("drops rows where any or all chosen columns are null, after the operations", async () => {
    const nullIf = col(APOS, { op: "null_if", values: ["N/A", "-"] });
    expect((await run({ columns: [nullIf], dropRows: { when: "any", columns: [APOS, UNI] } })).map((r) => r[QUOTE])).toEqual([1e300]);
    expect((await run({ columns: [nullIf], dropRows: { when: "all", columns: [APOS, UNI] } })).map((r) => r[QUOTE])).toEqual([1.5, 1e300]);
    expect((await run({ dropRows: { when: "all", columns: [] } })).map((r) => r[QUOTE])).toEqual([1.5, 1e300, -1e-300]);
  });

  it("keeps every column and its type when nothing is configured, and handles empty input", async () => {
    const r = await runNode(cleanNode, {}, { in: [input] });
    expect(r.ok && r.rows.out?.[1]).toEqual({ [SEL]: null, [QUOTE]: null, [UNI]: null, [APOS]: null });
    expect(r.ok && r.actualTypes.out).toEqual(input.columns);
    expect(await run({ columns: [col(SEL, { op: "trim" })] }, { ...input, rows: [] })).toEqual([]);
  });

  it("reports problems as issues", async () => {
    const issues = async (config: unknown) => {
      const r = await runNode(cleanNode, config, { in: [input] });
      return r.ok ? [] : r.issues.map((i) => [i.code, i.field]);
    };
    expect(await issues({ columns: [col(QUOTE, { op: "trim" })] })).toEqual([["TYPE_MISMATCH", "columns.0.operations.0.op"]]);
    expect(await issues({ columns: [col(SEL, { op: "replace", pattern: "[a", replacement: "" })] })).toEqual([["INVALID_REGEX", "columns.0.operations.0.pattern"]]);
    // A replacement RE2 refuses (it then replaces nothing, where PostgreSQL inserts an empty group).
    expect(await issues({ columns: [col(SEL, { op: "replace", pattern: "(a)", replacement: "\\2" })] })).toEqual([["INVALID_REGEX", "columns.0.operations.0.replacement"]]);
    expect(await issues({ columns: [col(UNI, { op: "fill_null", value: "soon" })] })).toEqual([["BAD_VALUE", "columns.0.operations.0.value"]]);
    expect(await issues({ columns: [col(DROP, { op: "trim" })], dropRows: { when: "any", columns: [SPACE] } })).toEqual([
      ["UNKNOWN_COLUMN", "columns.0.column"],
      ["UNKNOWN_COLUMN", "dropRows.columns.0"],
    ]);
    expect(await issues({ columns: [col(SEL, { op: "shout" })] })).toEqual([["INVALID_CONFIG", "columns.0.operations.0.op"]]);
  });
});
