import { describe, expect, it } from "vitest";
import { parseExpression, ExpressionSyntaxError } from "./parse.ts";
import { compileExpression } from "./compile-expression.ts";

const cols = [
  { name: "a", type: "integer" as const },
  { name: "b", type: "double" as const },
  { name: "s", type: "string" as const },
  { name: "odd ]name", type: "string" as const },
  { name: "when", type: "boolean" as const },
];
const compile = (src: string) => compileExpression(src, cols, { nodeId: "n", field: "expression" });

describe("expression parser", () => {
  it("respects precedence: * before +, comparison before and, and before or", () => {
    const sql = compile("a + b * 2 > 3 and not [when] or s = 'x'");
    expect(sql.ok && sql.value.sql).toBe(
      `((("a" + ("b" * CAST(2 AS BIGINT))) > CAST(3 AS BIGINT)) AND (NOT "when")) OR ("s" = 'x'))`.replace(/^/, "("),
    );
  });

  it("reads bracketed names with ]] as an escaped bracket, and keywords only when bracketed", () => {
    const r = compile("[odd ]]name] & [when]");
    expect(r.ok && r.value.columns).toEqual(["odd ]name", "when"]);
    expect(() => parseExpression("when + 1")).toThrow(ExpressionSyntaxError);
  });

  it("keeps string contents as data: quotes, semicolons and comments", () => {
    const r = compile("'it''s' & '; drop table x; --'");
    expect(r.ok && r.value.sql).toBe(`(CAST('it''s' AS VARCHAR) || CAST('; drop table x; --' AS VARCHAR))`);
  });

  it("cannot smuggle SQL through identifiers or function names", () => {
    expect(compile(`["; DROP TABLE t; --]`).ok).toBe(false);
    const r = compile("read_csv('/etc/passwd')");
    expect(!r.ok && r.issues[0]?.code).toBe("UNKNOWN_FUNCTION");
  });

  it.each([
    ["1 +", /expected a value.*at 1:4/],
    ["(a", /expected "\)".*at 1:3/],
    ["a b", /unexpected "b".*at 1:3/],
    ["'open", /no closing quote.*at 1:1/],
    ["a < b < 3", /cannot be chained/],
    ["case a end", /expected "when"/],
    ["12abc", /not a number/],
    ["a $ b", /unexpected character "\$"/],
  ])("reports %s with its position", (src, message) => {
    const r = compile(src);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues[0]?.code).toBe("EXPRESSION_PARSE_ERROR");
    expect(!r.ok && r.issues[0]?.message).toMatch(message);
  });

  it("type-checks", () => {
    expect(compile("a + 1").ok && compile("a + 1").ok).toBe(true);
    expect(!compile("s + 1").ok).toBe(true);
    expect(!compile("if(a, 1, 2)").ok).toBe(true);
    expect(!compile("coalesce(a, 'x')").ok).toBe(true);
    expect(!compile("lower(a)").ok).toBe(true);
    expect(!compile("substr(s)").ok).toBe(true);
    const t = compile("if(a > 1, b, null)");
    expect(t.ok && t.value.type).toBe("double");
  });
});
