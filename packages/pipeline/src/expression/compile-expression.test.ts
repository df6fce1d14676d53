import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type { Column } from "@sluice/model";
import { quoteIdent } from "../sql/quote.ts";
import { typedLiteral } from "../sql/types.ts";
import { HOSTILE_NAMES, runNode } from "../testing/duckdb-harness.ts";
import { deriveNode } from "../nodes/compute/derive.node.ts";
import { compileExpression } from "./compile-expression.ts";
import { MAX_DEPTH } from "./parse.ts";
import { duckdbDialect } from "../sql/duckdb-dialect.ts";
import { postgresDialect } from "../sql/postgres-dialect.ts";

const columns: Column[] = [
  { name: "i", type: "integer" },
  { name: "n", type: "bigint" },
  { name: "x", type: "double" },
  { name: "m", type: "decimal", precision: 10, scale: 2 },
  { name: "s", type: "string" },
  { name: "b", type: "boolean" },
  { name: "d", type: "date" },
  { name: "t", type: "timestamp" },
  ...HOSTILE_NAMES.map((name): Column => ({ name, type: "string" })),
];
const rows: unknown[][] = [
  [7, "9223372036854775807", 2.5, "1.25", " Ünï ", true, "2024-01-31", "2024-03-05 14:07:09", "sel", 'q"', "semi", "sp", "ü", "'"],
  [null, null, null, null, null, null, null, null, null, null, null, null, null, null],
  [-3, "-1", -1e300, "-0.01", "it's; drop table x; --", false, "1999-12-31", "2000-01-01 00:00:00", "", "", "", "", "", ""],
];

let conn: DuckDBConnection;
let instance: DuckDBInstance;
beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  conn = await instance.connect();
  const values = rows.map((r) => `(${columns.map((c, j) => typedLiteral(r[j], c)).join(", ")})`);
  await conn.run(`CREATE TABLE t AS SELECT * FROM (VALUES ${values.join(", ")}) AS v(${columns.map((c) => quoteIdent(c.name)).join(", ")})`);
});
afterAll(() => {
  conn.closeSync();
  instance.closeSync();
});

const place = { nodeId: "n1", field: "expression" };
const compile = (src: string) => compileExpression(src, columns, place);

/**
 * The expression's value on each fixture row, as JSON-friendly values (bigints come back as text), computed by a
 * derive node so that the differential suite runs the same expression on PostgreSQL too.
 */
async function values(src: string): Promise<unknown[]> {
  const c = compile(src);
  if (!c.ok) throw new Error(c.issues.map((i) => i.message).join("; "));
  const r = await runNode(deriveNode, { derivations: [{ column: "v", expression: src }] }, { in: [{ columns, rows }] });
  if (!r.ok) throw new Error(r.message ?? r.issues.map((i) => i.message).join("; "));
  return (r.rows.out ?? []).map((row) => row.v);
}

describe("compileExpression: values on DuckDB", () => {
  it.each([
    // arithmetic: whole numbers stay whole, overflow and division by zero give null
    ["i + 1", ["8", null, "-2"]],
    ["i * i * i * i * i * i * i * i * i * i * i * i", ["13841287201", null, "531441"]],
    ["n + 1", [null, null, "0"]],
    ["-n - 2", [null, null, "-1"]],
    ["i / 2", [3.5, null, -1.5]],
    ["i / 0", [null, null, null]],
    ["0 / 0.0", [null, null, null]],
    ["i % 0", [null, null, null]],
    ["i % 4", ["3", null, "-3"]],
    ["x % 2", [0.5, null, -0]],
    ["x * x", [6.25, null, null]],
    ["-x", [-2.5, null, 1e300]],
    ["m * 2", [2.5, null, -0.02]],
    ["1e-300 * 1e-300", [0, 0, 0]],
    ["2 + 3 * 4 - 10 / 4", [11.5, 11.5, 11.5]],
    // A bigint meeting a double becomes a double first (exact only to 2^53), on every engine.
    ["(9007199254740993 = 9007199254740992.0) & '|' & (n = 9223372036854775808.0) & '|' & coalesce(9007199254740993, 0.5)", ["true|true|9007199254740992.0", null, "true|false|9007199254740992.0"]],
    // text
    ["s & '|' & i & '|' & b & '|' & d", [" Ünï |7|true|2024-01-31", null, "it's; drop table x; --|-3|false|1999-12-31"]],
    ["'''); drop table x; --' & [x; drop table y]", ["'); drop table x; --semi", null, "'); drop table x; --"]],
    ["[select] & [a\"b] & [with space] & [ünï cödé] & ['quoted']", ['selq"spü\'', null, ""]],
    ["lower(s) & upper(s) & '/' & trim(s) & '/'", [" ünï  ÜNÏ /Ünï/", null, "it's; drop table x; --IT'S; DROP TABLE X; --/it's; drop table x; --/"]],
    ["length(s)", ["5", null, "22"]],
    ["substr(s, 2, 3) & '|' & substr(s, -2) & '|' & substr(s, 2.6)", ["Ünï|ï |nï ", null, "t's|--|'s; drop table x; --"]],
    ["replace(s, 'x', 'X')", [" Ünï ", null, "it's; drop table X; --"]],
    ["contains(s, 'drop') & starts_with(s, 'it') & ends_with(s, '--')", ["falsefalsefalse", null, "truetruetrue"]],
    ["concat(s, null, i, b)", [" Ünï 7true", "", "it's; drop table x; ---3false"]],
    ["left(s, 2) & '|' & right(s, 2)", [" Ü|ï ", null, "it|--"]],
    ["regex_match(s, '^it''s')", [false, null, true]],
    ["regex_replace(s, '([aeiou])', '<\\1>')", [" Ünï ", null, "<i>t's; dr<o>p t<a>bl<e> x; --"]],
    // Patterns whose matches differ between RE2 and PostgreSQL's regular expressions (not pushable there).
    ["regex_replace('ab', 'a|ab', 'X') & '|' & regex_replace('xaay', 'a*', '-') & '|' & regex_replace('aabb', '(a[ab]?)*b', '<\\0>')", ["Xb|-x-y-|<aab><b>", "Xb|-x-y-|<aab><b>", "Xb|-x-y-|<aab><b>"]],
    // numbers
    ["abs(i) & '|' & abs(x)", ["7|2.5", null, "3|1e+300"]],
    ["round(x) & '|' & round(-x) & '|' & round(i / 3, 2)", ["3.0|-3.0|2.33", null, "-1e+300|1e+300|-1.0"]],
    ["floor(x) & '|' & ceil(x)", ["2.0|3.0", null, "-1e+300|-1e+300"]],
    ["sqrt(i)", [Math.sqrt(7), null, null]],
    ["power(2, i)", [128, null, 0.125]],
    ["power(10, 400)", [null, null, null]],
    ["least(i, 0) & '|' & greatest(i, 0, null) & '|' & min(d, t) & '|' & max(1, 2.5)", ["0|7|2024-01-31 00:00:00|2.5", null, "-3|0|1999-12-31 00:00:00|2.5"]],
    ["least(i, 0, null)", ["0", "0", "-3"]],
    // dates
    ["year(d) * 10000 + month(d) * 100 + day(d)", ["20240131", null, "19991231"]],
    ["date_trunc('month', t) & '|' & date_trunc('QUARTER', d) & '|' & date_trunc('week', d)", ["2024-03-01 00:00:00|2024-01-01|2024-01-29", null, "2000-01-01 00:00:00|1999-10-01|1999-12-27"]],
    ["date_trunc('month', d) & '|' & date_trunc('Month', d) & '|' & date_trunc('month', date_add(d, -30, 'day'))", ["2024-01-01|2024-01-01|2024-01-01", null, "1999-12-01|1999-12-01|1999-12-01"]],
    ["date_add(d, 1, 'month') & '|' & date_add(d, -1, 'day') & '|' & date_add(d, 2, 'quarter')", ["2024-02-29|2024-01-30|2024-07-31", null, "2000-01-31|1999-12-30|2000-06-30"]],
    ["date_add(d, 90, 'minute')", ["2024-01-31 01:30:00", null, "1999-12-31 01:30:00"]],
    ["date_add(t, 1.5, 'second')", ["2024-03-05 14:07:10.5", null, "2000-01-01 00:00:01.5"]],
    ["date_diff('day', d, t) & '|' & date_diff('year', d, t) & '|' & date_diff('month', t, d)", ["34|0|-2", null, "1|1|-1"]],
    // Weeks are whole: day boundaries divided by 7, toward zero, not Monday boundaries (2024-01-07 is a Sunday).
    ["date_diff('week', d, t) & '|' & date_diff('week', t, d) & '|' & date_diff('week', parse_date('2024-01-07', '%Y-%m-%d'), parse_date('2024-01-08', '%Y-%m-%d'))", ["4|-4|0", null, "0|0|0"]],
    ["format_date(t, '%d/%m/%Y %H:%M') & '|' & format_date(d, '%-d %B %Y')", ["05/03/2024 14:07|31 January 2024", null, "01/01/2000 00:00|31 December 1999"]],
    ["parse_date('31/01/2024', '%d/%m/%Y') = d", [true, null, false]],
    ["parse_date(s, '%d/%m/%Y')", [null, null, null]],
    // parse_date reads text as DuckDB's strptime does, on every engine: spaces around the text skipped, a space in the
    // format matching a run of them (tabs too), numbers read up to their width and never given back, %y 69 as 1969,
    // a day of the year 0 not a date.
    ["parse_date(' 2024-02-29 ', '%Y-%m-%d') & '|' & parse_date('2024  02' & '	' & '29', '%Y %m %d') & '|' & parse_date('69-02-09', '%y-%m-%d') & '|' & parse_date('5-2-9', '%y-%m-%d')", ["2024-02-29|2024-02-29|1969-02-09|2005-02-09", "2024-02-29|2024-02-29|1969-02-09|2005-02-09", "2024-02-29|2024-02-29|1969-02-09|2005-02-09"]],
    ["coalesce(parse_date('2024-02-29', '%Y-%m-%d%H'), parse_date('2024-000', '%Y-%j'), parse_date('2024-229', '%Y-%m%d'), parse_date(' 2024', ' %Y'), parse_date('2024', '%Y '), parse_date('2024- 02-01', '%Y-%m-%d'), d)", ["2024-01-31", null, "1999-12-31"]],
    // Every %- form the editor accepts runs inside PostgreSQL too (%-I %-M %-S %-j %-y were not pushable).
    ["format_date(date_add(d, 13, 'hour'), '%-I %p|%-M|%-S|%-j|%-y') & '|' & parse_date('5-1-5 1:2:3', '%-y-%-m-%-d %-I:%-M:%-S') & '|' & parse_date('2024-60', '%Y-%-j')", ["1 PM|0|0|31|24|2005-01-05|2024-02-29", null, "1 PM|0|0|365|99|2005-01-05|2024-02-29"]],
    // An offset moves the time to UTC before the date is taken.
    ["parse_date('2024-02-29 23:30 -05:00', '%Y-%m-%d %H:%M %z')", ["2024-03-01", "2024-03-01", "2024-03-01"]],
    ["parse_date('124-2-9', '%Y-%m-%d') & '|' & parse_date('2024119', '%Y%m%d') & '|' & parse_date('2024-60', '%Y-%j') & '|' & parse_date('2024 ', '%Y ')", ["0124-02-09|2024-11-09|2024-02-29|2024-01-01", "0124-02-09|2024-11-09|2024-02-29|2024-01-01", "0124-02-09|2024-11-09|2024-02-29|2024-01-01"]],
    ["to_string(x) & '|' & to_string(b) & '|' & to_string(t)", ["2.5|true|2024-03-05 14:07:09", null, "-1e+300|false|2000-01-01 00:00:00"]],
    ["to_number(' 12 ') + to_number('1e3') + to_number(true)", [1013, 1013, 1013]],
    ["to_number(s)", [null, null, null]],
    ["to_number('Infinity')", [null, null, null]],
    // trim removes every space separator (no-break, em, ideographic), not tabs or line breaks, on every engine.
    ["length(trim('\u00a0\u2003 x\u3000 ')) & '|' & length(trim('\tx\n'))", ["1|3", "1|3", "1|3"]],
    // Case as DuckDB maps it, on every engine: "ß" upper-cases to "ẞ" (PostgreSQL's upper keeps it).
    ["upper('Straße') & '|' & lower('STRAẞE')", ["STRAẞE|straße", "STRAẞE|straße", "STRAẞE|straße"]],
    // DuckDB's cast alone reads underscores between digits; no number is written so.
    ["coalesce(to_number('1_000'), to_number('1e1_0'), to_number('1_0.5'), -1)", [-1, -1, -1]],
    // Hexadecimal (PostgreSQL's cast) and a sign '+-' (DuckDB's) are not numbers either; signs and exponents still are.
    ["coalesce(to_number('0x10'), to_number(' -0X1p3'), to_number('+-1'), to_number('+-0.5e-1'), -1) & '|' & to_number(' +.5e+1 ') & '|' & to_number('-5E-1')", ["-1.0|5.0|-0.5", "-1.0|5.0|-0.5", "-1.0|5.0|-0.5"]],
    // Too small for a double is zero, keeping its sign (PostgreSQL's input calls it out of range).
    ["to_string(to_number('1e-400')) & '|' & to_string(to_number(' -4.9e-325 '))", ["0.0|-0.0", "0.0|-0.0", "0.0|-0.0"]],
    ["to_number(null)", [null, null, null]],
    // substr takes the characters at the positions start to start + length that the text has.
    ["substr('abc', -5, 2) & '|' & substr('abc', 5, -3) & '|' & substr('abc', -4, 2) & '|' & substr(s, -30, 29)", ["|bc|a| Ünï", null, "|bc|a|it's; drop table x; -"]],
    // Counts past any text or double are the same as the largest: not a failed run.
    ["substr(s, 1e10) & '|' & substr(s, 2, 1e19) & '|' & left(s, -3000000000) & '|' & right(s, 9223372036854775807) & '|' & left(s, -1e300)", ["|Ünï || Ünï |", null, "|t's; drop table x; --||it's; drop table x; --|"]],
    ["round(x, 1e10) & '|' & round(x, -1e10) & '|' & round(x, -9223372036854775807)", ["2.5|0.0|0.0", null, "-1e+300|0.0|0.0"]],
    // round keeps the sign of a zero, and rounds to 0 where 10^-digits is past the doubles.
    ["to_string(round(-0.4)) & '|' & to_string(round(-1, -1)) & '|' & to_string(round(x, -400)) & '|' & to_string(round(1e-300, -300))", ["-0.0|-0.0|0.0|0.0", null, "-0.0|-0.0|0.0|0.0"]],
    // The smallest bigint % -1 is 0, not an overflow.
    ["(-n - 1) % -1", ["0", null, "0"]],
    // conditions and nulls
    ["if(b, 'yes', 'no')", ["yes", "no", "no"]],
    ["if(i > 0, i, x)", [7, null, -1e300]],
    ["case when i > 5 then 'big' when i > 0 then 'small' end", ["big", null, null]],
    ["case when b then d else t end", ["2024-01-31 00:00:00", null, "2000-01-01 00:00:00"]],
    ["coalesce(s, 'none') & coalesce(null, null, 1)", [" Ünï 1", "none1", "it's; drop table x; --1"]],
    ["is_null(s) & is_not_null(s)", ["falsetrue", "truefalse", "falsetrue"]],
    ["s = null", [null, null, null]],
    ["not b or null", [null, null, true]],
    ["b and null", [null, null, false]],
    ["null", [null, null, null]],
    ["lower(null) & abs(null) & date_trunc('day', null) & if(null, 1, 2)", [null, null, null]],
    ["coalesce(date_trunc('day', null), d)", ["2024-01-31", null, "1999-12-31"]],
    // Operands that are not a bare column, which builders bind once instead of writing twice
    ["ends_with(lower(s), lower('Ï '))", [true, null, false]],
    ["date_trunc('month', date_add(d, 1, 'day'))", ["2024-02-01", null, "2000-01-01"]],
    ["parse_date(format_date(d, '%d/%m/%Y'), '%d/%m/%Y')", ["2024-01-31", null, "1999-12-31"]],
    ["date_diff('month', date_add(d, -40, 'day'), date_add(d, 1, 'month'))", ["2", null, "2"]],
    ["d < t", [true, null, true]],
    ["x > 1 and m < 2 and n >= 0 and i != 3", [true, null, false]],
  ])("%s", async (src, expected) => {
    expect(await values(src)).toEqual(expected);
  });
});

describe("compileExpression: substr", () => {
  it("takes the same characters from ASCII-only text as from any other, on every engine", async () => {
    // DuckDB's substr moved a start outside the text to its nearest end first, but only on a column whose statistics
    // rule out non-ASCII text: substr(s, -5, 2) was 'ab' of such an 'abc' and '' of 'abé' or of the constant 'abc'.
    const derivations = ["substr(s, -5, 2)", "substr(s, -4, 2)", "substr(s, 5, -3)", "substr(s, 0, 2)", "substr(s, k, 2)", "substr(s, 2, k)", "substr(s, 1.5, 2)"].map(
      (expression, j) => ({ column: `v${j}`, expression }),
    );
    const table = (text: string) => ({ columns: [{ name: "s", type: "string" as const }, { name: "k", type: "bigint" as const }], rows: [[text, "-7"]] });
    const ascii = await runNode(deriveNode, { derivations }, { in: [table("abc")] });
    const unicode = await runNode(deriveNode, { derivations }, { in: [table("abé")] });
    const row = (r: typeof ascii) => (r.ok ? Object.values(r.rows.out![0]!).slice(2) : r);
    expect(row(ascii)).toEqual(["", "a", "bc", "a", "", "a", "bc"]);
    expect(row(unicode)).toEqual(["", "a", "bé", "a", "", "a", "bé"]);
  });
});

describe("compileExpression: depth", () => {
  /** Each shape nested `k` levels; the deepest the parser accepts must still run on DuckDB (max_expression_depth 1,000). */
  const shapes: [string, (k: number) => string][] = [
    ["unary minus", (k) => "- ".repeat(k) + "x"],
    ["not", (k) => "not ".repeat(k) + "b"],
    ["whole-number arithmetic", (k) => Array.from({ length: k }, (_, j) => (j % 2 ? "n" : "i")).join(" + ")],
    ["double arithmetic", (k) => Array.from({ length: k }, (_, j) => (j % 2 ? "x" : "i")).join(" * ")],
    ["division, nested on the right", (k) => "x / (".repeat(k - 1) + "x" + ")".repeat(k - 1)],
    ["remainder, nested on the right", (k) => "i % (".repeat(k - 1) + "n" + ")".repeat(k - 1)],
    ["square roots", (k) => "sqrt(".repeat(k) + "x" + ")".repeat(k)],
    ["text joins", (k) => Array.from({ length: k }, () => "s").join(" & ")],
    ["and/or", (k) => Array.from({ length: k }, (_, j) => (j % 2 ? "b" : "i > 0")).join(" or ")],
    ["nested calls", (k) => "coalesce(".repeat(k) + "m" + ", 1)".repeat(k)],
    ["nested case", (k) => "case when b then ".repeat(k) + "d" + " else t end".repeat(k)],
    ["case conditions", (k) => "case when ".repeat(k) + "b" + " then b end".repeat(k)],
    ["month starts", (k) => "date_trunc('month', ".repeat(k) + "d" + ")".repeat(k)],
    ["dates written and read back", (k) => "parse_date(format_date(".repeat(k) + "d" + ", '%Y-%m-%d'), '%Y-%m-%d')".repeat(k)],
    ["text endings", (k) => "to_string(ends_with(s, ".repeat(k) + "s" + "))".repeat(k)],
    ["month differences", (k) => "date_add(d, date_diff('month', d, ".repeat(k) + "d" + "), 'month')".repeat(k)],
  ];

  it.each(shapes)("%s at the deepest accepted nesting runs on DuckDB, one level more is EXPRESSION_TOO_DEEP", async (_name, shape) => {
    let k = MAX_DEPTH + 1;
    while (!compile(shape(k)).ok) k--;
    expect(k).toBeGreaterThan(MAX_DEPTH / 4);
    const deeper = compile(shape(k + 1));
    expect(!deeper.ok && deeper.issues[0]).toMatchObject({ code: "EXPRESSION_TOO_DEEP", nodeId: "n1", field: "expression" });
    const c = compile(shape(k));
    // The SQL grows linearly with the depth in every dialect: a builder that writes its operand twice doubles it at
    // every level (a 40-character expression once made 51 MB of SQL).
    for (const dialect of [duckdbDialect, postgresDialect]) {
      const sql = (n: number) => {
        const r = compileExpression(shape(n), columns, place, { dialect });
        return r.ok ? r.value.sql.length : 0;
      };
      expect(sql(k), dialect.name).toBeLessThan(4 * (sql(Math.ceil(k / 4)) + 400));
    }
    // Planning must stay linear in the depth: forms that repeat an operand double the plan at every level.
    const started = Date.now();
    await expect(conn.runAndReadAll(`SELECT ${c.ok && c.value.sql} AS v FROM t`)).resolves.toBeDefined();
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 30_000);
});

describe("compileExpression: SQL", () => {
  it("quotes text as a literal and names as identifiers, so hostile input stays data", () => {
    const r = compile(`'''); drop table x; --' & [a"b] & [x; drop table y]`);
    expect(r.ok && r.value.sql).toBe(`(CAST((CAST('''); drop table x; --' AS VARCHAR) || CAST("a""b" AS VARCHAR)) AS VARCHAR) || CAST("x; drop table y" AS VARCHAR))`);
  });

  it("gives a number with many digits exactly the double JavaScript reads", async () => {
    // A bare 0.013955379771008537 is a decimal to DuckDB, and that decimal becomes the next double down.
    for (const v of ["0.013955379771008537", "-0.10750788289321159", "123456.78901234567", "1e-300"]) {
      expect(await values(`${v} + 0 * i`), v).toEqual([Number(v), null, Number(v)]);
    }
  });

  it("re-prints numbers instead of copying their text", () => {
    const r = compile("1e-400 + 0001 + 1.50");
    expect(r.ok && r.value.sql).not.toMatch(/1e-400|0001|1\.50/);
  });

  it("returns issues with the field and the position in the message", () => {
    const r = compile("s +\n  1");
    expect(r).toEqual({
      ok: false,
      issues: [{ severity: "error", code: "EXPRESSION_TYPE_ERROR", message: expect.stringMatching(/not string and bigint.*\(at 1:3\)$/), nodeId: "n1", field: "expression" }],
    });
    const p = compile("lower(");
    expect(!p.ok && p.issues[0]).toMatchObject({ code: "EXPRESSION_PARSE_ERROR", message: expect.stringMatching(/\(at 1:7\)$/) });
  });

  it("cannot reach SQL functions or statements that are not in the table", async () => {
    for (const src of ["read_csv('/etc/passwd')", "getenv('HOME')", "[select 1]", "s; select 1", "s -- comment"]) {
      expect(compile(src).ok, src).toBe(false);
    }
  });
});
