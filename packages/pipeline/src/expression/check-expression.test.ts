import { describe, expect, it } from "vitest";
import type { Column } from "@sluice/model";
import { checkExpression } from "./check-expression.ts";
import { parseExpression } from "./parse.ts";

const columns: Column[] = [
  { name: "i", type: "integer" },
  { name: "n", type: "bigint" },
  { name: "x", type: "double" },
  { name: "m", type: "decimal", precision: 10, scale: 2 },
  { name: "s", type: "string" },
  { name: "b", type: "boolean" },
  { name: "d", type: "date" },
  { name: "t", type: "timestamp" },
  { name: "j", type: "json" },
  { name: "unit price", type: "double" },
];

const check = (src: string, opaque?: Set<string>) => {
  const parsed = parseExpression(src);
  if (!parsed.ok) throw new Error(parsed.problems[0]?.message);
  return checkExpression(parsed.value, columns, { opaque });
};
const typeOf = (src: string) => {
  const c = check(src);
  expect(c.problems).toEqual([]);
  return c.type;
};
const problems = (src: string) => check(src).problems.map((p) => [p.code, p.message, `${p.span.start.line}:${p.span.start.column}`]);

describe("checkExpression: types", () => {
  it.each([
    ["1", "bigint"],
    ["9223372036854775807", "bigint"],
    ["9223372036854775808", "double"],
    ["1.0", "double"],
    ["1e3", "double"],
    ["'x'", "string"],
    ["true", "boolean"],
    ["null", "null"],
    ["i", "integer"],
    ["m", "double"],
    ["i + i", "bigint"],
    ["i * n", "bigint"],
    ["i + x", "double"],
    ["m * 2", "double"],
    ["i / 2", "double"],
    ["n % 3", "bigint"],
    ["x % 3", "double"],
    ["-i", "bigint"],
    ["+x", "double"],
    ["null + 1", "bigint"],
    ["null + null", "null"],
    ["i & s", "string"],
    ["d & null", "string"],
    ["j & b", "string"],
    ["i < x", "boolean"],
    ["d < t", "boolean"],
    ["s = 'a' and not b or null", "boolean"],
    ["case when b then i when b then x end", "double"],
    ["case when b then d else t end", "timestamp"],
    ["case when b then null else null end", "null"],
    ["if(b, 1, null)", "bigint"],
    ["if(b, d, t)", "timestamp"],
    ["coalesce(i, n)", "bigint"],
    ["coalesce(null, s, 'x')", "string"],
    ["coalesce(null)", "null"],
    ["least(i, 2)", "bigint"],
    ["max(d, t)", "timestamp"],
    ["length(s)", "bigint"],
    ["abs(i)", "bigint"],
    ["abs(m)", "double"],
    ["round(i)", "double"],
    ["year(t)", "bigint"],
    ["date_trunc('month', d)", "date"],
    ["date_trunc('HOUR', t)", "timestamp"],
    ["date_add(d, 1, 'day')", "date"],
    ["date_add(d, 1, 'hour')", "timestamp"],
    ["date_add(t, 1, 'day')", "timestamp"],
    ["date_diff('day', d, t)", "bigint"],
    ["format_date(d, '%Y-%m')", "string"],
    ["parse_date(s, '%d/%m/%Y')", "date"],
    ["to_string(j)", "string"],
    ["to_number(s)", "double"],
    ["to_number(b)", "double"],
    ["is_null(j)", "boolean"],
    ["concat(s, i, d, null)", "string"],
    ["regex_match(s, '^(?i)[a-z]+(?P<rest>\\d*)$')", "boolean"],
    ["[unit price] * i", "double"],
    ["today()", "date"],
    ["NOW()", "timestamp"],
  ])("%s is %s", (src, type) => {
    expect(typeOf(src)).toBe(type);
  });

  it("lists the columns read, once each, in order of first use", () => {
    expect(check("s & i & s & [unit price]").columns).toEqual(["s", "i", "unit price"]);
  });

  it("records every sub-expression's type and the checked quoted-text arguments", () => {
    const parsed = parseExpression("date_trunc('Month', d)");
    if (!parsed.ok) throw new Error("parse");
    const c = checkExpression(parsed.value, columns);
    expect(c.types.get(parsed.value)).toBe("date");
    expect(c.literals.get(parsed.value)).toEqual(["month", undefined]);
  });

  it("treats opaque names as known columns of unknown type", () => {
    const c = check("broken + 1", new Set(["broken"]));
    expect(c.problems).toEqual([]);
    expect(c.columns).toEqual(["broken"]);
  });
});

describe("checkExpression: problems", () => {
  it.each([
    ["'a' + 1", "EXPRESSION_TYPE_ERROR", /"\+" needs numbers on both sides, not string and bigint; join text with "&"/, "1:5"],
    ["d + 1", "EXPRESSION_TYPE_ERROR", /use date_add\(\)/, "1:3"],
    ["b * 2", "EXPRESSION_TYPE_ERROR", /not boolean and bigint$/, "1:3"],
    ["s = 1", "EXPRESSION_TYPE_ERROR", /cannot compare string with bigint using "="/, "1:3"],
    ["d = s", "EXPRESSION_TYPE_ERROR", /cannot compare date with string using "="; read the text as a date with parse_date\(text, '%Y-%m-%d'\)$/, "1:3"],
    ["2024 < d", "EXPRESSION_TYPE_ERROR", /cannot compare bigint with date using "<"; compare a part of the date with the number \(year\(\), month\(\), day\(\)\)$/, "1:6"],
    ["b = d", "EXPRESSION_TYPE_ERROR", /cannot compare boolean with date using "="; a date compares only with dates and timestamps$/, "1:3"],
    ["b = 1", "EXPRESSION_TYPE_ERROR", /cannot compare boolean with bigint using "="; convert one side with to_number\(\) or to_string\(\)$/, "1:3"],
    ["i and b", "EXPRESSION_TYPE_ERROR", /"and" needs true\/false on both sides, not integer/, "1:3"],
    ["not s", "EXPRESSION_TYPE_ERROR", /"not" needs true\/false, not string/, "1:1"],
    ["-s", "EXPRESSION_TYPE_ERROR", /"-" needs a number, not string/, "1:1"],
    ["case when i then 1 end", "EXPRESSION_TYPE_ERROR", /"when" needs a true\/false condition, not integer/, "1:11"],
    ["case when b then 1 when b then 'x' end", "EXPRESSION_TYPE_ERROR", /branches of "case" give bigint and string/, "1:32"],
    ["case when b then 1 else d end", "EXPRESSION_TYPE_ERROR", /"else" gives date but the branches give bigint/, "1:25"],
    ["if(i, 1, 2)", "EXPRESSION_TYPE_ERROR", /argument 1 of if\(condition, then, else\) must be true\/false, not integer/, "1:4"],
    ["if(b, 1)", "EXPRESSION_TYPE_ERROR", /takes 3 arguments, not 2/, "1:1"],
    ["coalesce(i, 'x')", "EXPRESSION_TYPE_ERROR", /mixes integer and string/, "1:13"],
    ["coalesce()", "EXPRESSION_TYPE_ERROR", /takes at least 1 argument, not 0/, "1:1"],
    ["lower(i)", "EXPRESSION_TYPE_ERROR", /argument 1 of lower\(text\) must be text, not integer/, "1:7"],
    ["substr(s)", "EXPRESSION_TYPE_ERROR", /takes 2 or 3 arguments, not 1/, "1:1"],
    ["today(1)", "EXPRESSION_TYPE_ERROR", /takes 0 arguments, not 1/, "1:1"],
    ["to_number(d)", "EXPRESSION_TYPE_ERROR", /must be text, a number or true\/false, not date/, "1:11"],
    ["date_trunc('fortnight', d)", "EXPRESSION_TYPE_ERROR", /"fortnight" is not a unit; use one of year, quarter/, "1:12"],
    ["date_trunc(s, d)", "EXPRESSION_TYPE_ERROR", /must be written as quoted text/, "1:12"],
    ["date_add(d, 1, 'days')", "EXPRESSION_TYPE_ERROR", /"days" is not a unit/, "1:16"],
    ["year(s)", "EXPRESSION_TYPE_ERROR", /must be a date or timestamp, not string/, "1:6"],
    ["format_date(d, '%Y-%Q')", "EXPRESSION_TYPE_ERROR", /"%Q" is not a date format code/, "1:16"],
    ["parse_date(s, '100%')", "EXPRESSION_TYPE_ERROR", /"%" is not a date format code/, "1:15"],
    ["regex_match(s, '(')", "EXPRESSION_TYPE_ERROR", /"\(" is not a valid pattern/, "1:16"],
    ["regex_replace(s, '*', 'x')", "EXPRESSION_TYPE_ERROR", /is not a valid pattern/, "1:18"],
    // RE2 refuses these replacements and then replaces nothing or stops part way; PostgreSQL would not.
    ["regex_replace(s, '(a)[(]', '\\2')", "EXPRESSION_TYPE_ERROR", /"\\2" in the replacement is group 2, but the pattern has 1 group/, "1:28"],
    ["regex_replace(s, 'a', '<\\1>')", "EXPRESSION_TYPE_ERROR", /"\\1" in the replacement is group 1, but the pattern has no groups/, "1:23"],
    ["regex_replace(s, '(a)', 'C:\\temp')", "EXPRESSION_TYPE_ERROR", /is \\0 to \\9 \(the match or a group\) or \\\\ \(a backslash\), not \\t/, "1:25"],
    ["regex_replace(s, '(a)', 'x\\')", "EXPRESSION_TYPE_ERROR", /not alone at the end/, "1:25"],
    ["[S]", "UNKNOWN_COLUMN", /did you mean "s"/, "1:1"],
    ["today", "UNKNOWN_COLUMN", /to call the function, write today\(…\)/, "1:1"],
    ["uper(s)", "UNKNOWN_FUNCTION", /there is no function "uper"; did you mean "upper"\?/, "1:1"],
    ["read_csv('/etc/passwd')", "UNKNOWN_FUNCTION", /there is no function "read_csv"/, "1:1"],
    ["constructor(1)", "UNKNOWN_FUNCTION", /"constructor"/, "1:1"],
    ["__proto__(s)", "UNKNOWN_FUNCTION", /"__proto__"/, "1:1"],
    ["tostring(s)", "UNKNOWN_FUNCTION", /did you mean "to_string"/, "1:1"],
  ])("%s → %s", (src, code, message, at) => {
    const [p] = problems(src);
    expect(p?.[0]).toBe(code);
    expect(p?.[1]).toMatch(message);
    expect(p?.[2]).toBe(at);
  });

  it("names a decimal column's type decimal, as the catalog does, though it computes as double", () => {
    const messages = (src: string) => check(src).problems.map((p) => p.message);
    expect(messages("upper(m)")).toEqual(["argument 1 of upper(text) must be text, not decimal"]);
    expect(messages("m = 'a'")).toEqual(['cannot compare decimal with string using "="; convert one side with to_number() or to_string()']);
    expect(messages("m and b")).toEqual(['"and" needs true/false on both sides, not decimal']);
    expect(messages("not m")).toEqual(['"not" needs true/false, not decimal']);
    expect(messages("m + d")).toEqual(['"+" needs numbers on both sides, not decimal and date; use date_add() or date_diff() for dates']);
    expect(messages("case when b then m else s end")).toEqual(['"else" gives string but the branches give decimal; make them the same type']);
    expect(messages("coalesce(m, s)")).toEqual([expect.stringMatching(/mixes decimal and string/)]);
    // Arithmetic on it is a double, and says so.
    expect(messages("upper(m * 2)")).toEqual(["argument 1 of upper(text) must be text, not double"]);
    expect(check("m")).toMatchObject({ type: "double", typeName: "decimal" });
  });

  it("reports every independent problem once, without follow-on errors", () => {
    expect(problems("lower(nope) & uper(s) & (s * 2)").map((p) => p[0])).toEqual(["UNKNOWN_COLUMN", "UNKNOWN_FUNCTION", "EXPRESSION_TYPE_ERROR"]);
    // The unknown column is a null of unknown type: abs() and + accept it.
    expect(problems("abs(nope) + 1")).toHaveLength(1);
  });

  it("suggests the closest column name", () => {
    const parsed = parseExpression("[unit prise] * qantity");
    if (!parsed.ok) throw new Error("parse");
    const c = checkExpression(parsed.value, [{ name: "unit price", type: "double" }, { name: "quantity", type: "integer" }]);
    expect(c.problems.map((p) => p.message)).toEqual([
      'column "unit prise" does not exist; did you mean "unit price"?',
      'column "qantity" does not exist; did you mean "quantity"?',
    ]);
  });
});
