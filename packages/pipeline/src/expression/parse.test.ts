import { describe, expect, it } from "vitest";
import type { Expr } from "./ast.ts";
import { MAX_DEPTH, parseExpression } from "./parse.ts";
import { tokenize } from "./tokenize.ts";

/** The tree as compact text, to compare shapes without positions. */
function show(e: Expr): string {
  switch (e.kind) {
    case "literal":
      return e.type === "string" ? `'${e.value}'` : e.value;
    case "column":
      return `[${e.name}]`;
    case "unary":
      return `(${e.op} ${show(e.arg)})`;
    case "binary":
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case "call":
      return `${e.name}(${e.args.map(show).join(", ")})`;
    case "case":
      return `case(${e.branches.map((b) => `${show(b.when)} -> ${show(b.then)}`).join("; ")}${e.otherwise ? `; else ${show(e.otherwise)}` : ""})`;
  }
}

const tree = (src: string) => {
  const r = parseExpression(src);
  if (!r.ok) throw new Error(r.problems[0]?.message);
  return show(r.value);
};
const problem = (src: string) => {
  const r = parseExpression(src);
  if (r.ok) throw new Error(`parsed: ${show(r.value)}`);
  expect(r.problems).toHaveLength(1);
  return r.problems[0]!;
};

describe("tokenize", () => {
  it("tracks line and column, counting characters rather than UTF-16 units", () => {
    const r = tokenize("👍 + \n  [a]");
    expect(r.ok).toBe(false); // 👍 is not a letter
    const t = tokenize("'👍' &\n  [a b]");
    expect(t.ok && t.value.map((x) => [x.kind, x.value, `${x.span.start.line}:${x.span.start.column}`, x.span.start.offset])).toEqual([
      ["string", "👍", "1:1", 0],
      ["op", "&", "1:5", 5],
      ["name", "a b", "2:3", 9],
      ["eof", "", "2:8", 14],
    ]);
  });

  it("unescapes doubled quotes in text and doubled brackets in names", () => {
    const t = tokenize("'it''s' [a]]b] []]]");
    expect(t.ok && t.value.map((x) => x.value)).toEqual(["it's", "a]b", "]", ""]);
  });

  it("reads numbers and refuses words that start with a digit", () => {
    const t = tokenize("1 2.5 .5 1e-9 3E+2 7.");
    expect(t.ok && t.value.filter((x) => x.kind === "number").map((x) => x.value)).toEqual(["1", "2.5", ".5", "1e-9", "3E+2", "7."]);
    expect(problem("12abc").message).toMatch(/"12abc" is not a number.*\[12abc\]/);
  });

  it("accepts letters of any alphabet in bare names", () => {
    expect(tree("prénom & straße & 名前")).toBe("(([prénom] & [straße]) & [名前])");
  });

  it.each([
    ["a || b", /unexpected "\|\|": join text with "&"/],
    ["a && b", /use "and"/],
    ["a == b", /single "="/],
    ["!a", /use "not"/],
    ['"name"', /single quotes.*\[brackets\]/],
    ["a ; b", /unexpected character ";"/],
    ["a $ b", /unexpected character "\$"/],
    ["'x\u0000'", /NUL/],
  ])("explains %j", (src, message) => {
    expect(problem(src).message).toMatch(message);
  });
});

describe("parseExpression", () => {
  it.each([
    ["a + b * 2 - c", "(([a] + ([b] * 2)) - [c])"],
    ["a - b - c", "(([a] - [b]) - [c])"],
    ["a / b % c", "(([a] / [b]) % [c])"],
    ["-a * b", "((- [a]) * [b])"],
    ["- -a", "(- (- [a]))"],
    ["+a", "(+ [a])"],
    ["a & b + c", "([a] & ([b] + [c]))"],
    ["a = b & 'x'", "([a] = ([b] & 'x'))"],
    ["not a = b and c or d", "(((not ([a] = [b])) and [c]) or [d])"],
    ["a or b and c", "([a] or ([b] and [c]))"],
    ["(a or b) and c", "(([a] or [b]) and [c])"],
    ["a <> b", "([a] != [b])"],
    ["NOT TRUE Or FaLsE", "((not true) or false)"],
    ["f()", "f()"],
    ["Lower(a, (b))", "lower([a], [b])"],
    ["[when] + [select]", "([when] + [select])"],
    ["case when a then 1 when b then 2 else 3 end", "case([a] -> 1; [b] -> 2; else 3)"],
    ["CASE WHEN a THEN null END", "case([a] -> null)"],
    ["if(a > 1, 'x', null)", "if(([a] > 1), 'x', null)"],
  ])("parses %s", (src, shape) => {
    expect(tree(src)).toBe(shape);
  });

  it("keeps spans: binary operators point at the operator, calls at their name", () => {
    const r = parseExpression("lower(a) +\n  b");
    expect(r.ok).toBe(true);
    if (!r.ok || r.value.kind !== "binary") return;
    expect(r.value.opSpan.start).toEqual({ offset: 9, line: 1, column: 10 });
    expect(r.value.span.end).toEqual({ offset: 14, line: 2, column: 4 });
    expect(r.value.left.kind === "call" && r.value.left.nameSpan.end.column).toBe(6);
  });

  it.each([
    ["1 +", /expected a value, a column or "\(" but found the end of the expression/, "1:4"],
    ["(a", /expected "\)" but found the end/, "1:3"],
    ["a b", /unexpected "b"; is an operator or "," missing\?/, "1:3"],
    ["lower(a b)", /expected "," or "\)" but found "b"/, "1:9"],
    ["lower(a,)", /expected a value/, "1:9"],
    ["'open", /no closing quote/, "1:1"],
    ["[open", /no closing bracket/, "1:1"],
    ["[]", /empty column name/, "1:1"],
    ["a < b < 3", /cannot be chained/, "1:7"],
    ["a = b != c", /cannot be chained/, "1:7"],
    ["case a end", /expected "when" after "case" but found "a"/, "1:6"],
    ["case when a 1 end", /expected "then" but found "1"/, "1:13"],
    ["case when a then 1", /expected "when", "else" or "end" but found the end/, "1:19"],
    ["case when a then 1 else 2", /expected "end"/, "1:26"],
    ["when + 1", /keyword "when"; write \[when\]/, "1:1"],
    ["a +\n  * b", /expected a value.*found "\*"/, "2:3"],
    ["1e999", /too large/, "1:1"],
    [")", /found "\)"/, "1:1"],
    ["", /found the end of the expression/, "1:1"],
  ])("reports %j with its position", (src, message, at) => {
    const p = problem(src);
    expect(p.code).toBe("EXPRESSION_PARSE_ERROR");
    expect(p.message).toMatch(message);
    expect(`${p.span.start.line}:${p.span.start.column}`).toBe(at);
  });

  it("refuses nesting deeper than the limit, without exhausting the stack", () => {
    const deep = "(".repeat(5000) + "1" + ")".repeat(5000);
    expect(problem(deep).message).toMatch(/nested more than/);
    expect(problem("-".repeat(MAX_DEPTH + 5) + "1").message).toMatch(/nested more than/);
    expect(problem(Array.from({ length: MAX_DEPTH + 1 }, () => "a").join(" + ")).message).toMatch(/nested more than/);
    expect(parseExpression(Array.from({ length: MAX_DEPTH - 1 }, () => "a").join(" + ")).ok).toBe(true);
  });

  const n = 100_000;
  it.each([
    ["100,000 (", "(".repeat(n)],
    ["100,000 balanced parentheses", "(".repeat(n) + "1" + ")".repeat(n)],
    ["a unary minus chain", "- ".repeat(n) + "1"],
    ["a not chain", "not ".repeat(n) + "true"],
    ["nested calls", "abs(".repeat(n) + "1" + ")".repeat(n)],
    ["a binary chain of 5,000", Array.from({ length: 5000 }, () => "1").join("+")],
    ["an and chain", Array.from({ length: n }, () => "a").join(" and ")],
    ["nested case", "case when a then ".repeat(n) + "1" + " end".repeat(n)],
    ["case in a condition", "case when ".repeat(n) + "a" + " then 1 end".repeat(n)],
  ])("refuses %s as EXPRESSION_TOO_DEEP, with a place, without exhausting the stack", (_name, src) => {
    const p = problem(src);
    expect(p.code).toBe("EXPRESSION_TOO_DEEP");
    expect(p.message).toMatch(new RegExp(`nested more than ${MAX_DEPTH} levels`));
    expect(p.span.start.offset).toBeLessThan(src.length + 1);
  });

  it("accepts wide trees: a call with 200,000 arguments and a case with 60,000 branches", () => {
    expect(parseExpression(`coalesce(${Array.from({ length: 200_000 }, () => "1").join(",")})`).ok).toBe(true);
    expect(parseExpression(`case ${"when a then 1 ".repeat(60_000)}end`).ok).toBe(true);
  });
});
