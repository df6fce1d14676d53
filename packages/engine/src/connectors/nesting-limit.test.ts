import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { JsonNestingScanner, MAX_NESTING, jsonNestingIssue, scanJsonNesting, typeNesting } from "./nesting-limit.ts";
import { tempDir } from "./testing/test-context.ts";
import { deepJson } from "./testing/deep-files.ts";

const tmp = tempDir("nesting");
afterAll(() => tmp.remove());

/** The deepest nesting the scanner sees in `text`, fed whole and byte by byte (chunk edges must not matter). */
function deepest(text: string): number {
  const bytes = Buffer.from(text);
  const depths = [[bytes], [...bytes].map((b) => Buffer.from([b]))].map((chunks) => {
    // A limit of 0 makes feed report every opening; count up until it stops refusing.
    for (let limit = 0; ; limit++) {
      const s = new JsonNestingScanner(limit);
      if (chunks.every((c) => s.feed(c) === undefined)) return limit;
    }
  });
  expect(depths[1]).toBe(depths[0]);
  return depths[0]!;
}

describe("JsonNestingScanner", () => {
  it("counts arrays, objects and both, in documents and NDJSON lines", () => {
    expect(deepest("1")).toBe(0);
    expect(deepest("[[[1]]]")).toBe(3);
    expect(deepest('{"a":{"b":{"c":1}}}')).toBe(3);
    expect(deepest('[{"a":[{"b":[]}]}]')).toBe(5);
    expect(deepest('{"a":[1]}\n{"b":{"c":[[2]]}}\n{"d":3}\n')).toBe(4);
    expect(deepest("[[1],[2],[3]]")).toBe(2);
  });

  it("does not count brackets inside strings, whatever is escaped there", () => {
    expect(deepest('["[[[{{{"]')).toBe(1);
    expect(deepest('{"k\\"[[[": "\\"{{{\\""}')).toBe(1);
    expect(deepest('["\\\\", [["\\\\\\"[["]]]')).toBe(3); // "\\" ends its string; "\\\"[[" does not end early
    expect(deepest('["\\u005b\\u007b", "}]"]')).toBe(1);
    expect(deepest('{"ü€𝄞[": ["é{"]}')).toBe(2);
  });

  it("lets no stray quote hide the lines after it: a newline ends any string", () => {
    expect(deepest('"open\n[[[[1]]]]')).toBe(4);
    expect(deepest('{"a":"x\\\n[[[1]]]')).toBe(4);
  });

  it("never goes below zero on closers without openers", () => {
    expect(deepest("]]]]}}}[[1]]")).toBe(2);
  });

  it("names the line where nesting goes past the limit", () => {
    const s = new JsonNestingScanner(2);
    expect(s.feed(Buffer.from('{"a":[1]}\n{"a":[2]}\n'))).toBeUndefined();
    expect(s.feed(Buffer.from('{"a":\n[[3]]}\n'))).toBe(4);
  });
});

describe("scanJsonNesting and jsonNestingIssue", () => {
  const file = (name: string, content: string) => {
    const p = path.join(tmp.dir, name);
    writeFileSync(p, content);
    return p;
  };

  it("allows MAX_NESTING levels and refuses one more, in documents and NDJSON", async () => {
    expect(await scanJsonNesting(file("limit.json", deepJson(MAX_NESTING - 1)))).toEqual({ kind: "ok" });
    expect(await scanJsonNesting(file("over.json", deepJson(MAX_NESTING)))).toEqual({ kind: "too-deep", line: 1 });
    const lines = ['{"a":1}', '{"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', deepJson(MAX_NESTING + 1).slice(1, -1)];
    expect(await scanJsonNesting(file("deep.ndjson", lines.join("\n")))).toEqual({ kind: "too-deep", line: 3 });
  });

  it("reads the report's 120 KB payload past a chunk boundary and says what to do", async () => {
    const p = file("report.json", " ".repeat((1 << 20) - 3) + deepJson(20_000));
    expect(await scanJsonNesting(p)).toEqual({ kind: "too-deep", line: 1 });
    expect(await jsonNestingIssue(p, "report.json")).toEqual({
      severity: "error",
      code: "FILE_TOO_DEEPLY_NESTED",
      field: "file",
      message: expect.stringMatching(/^Line 1 of "report\.json" nests objects and arrays more than 64 levels deep.*Flatten/),
    });
    expect(await jsonNestingIssue(file("fine.json", '[{"a":[1]}]'), "fine.json")).toBeUndefined();
  });
});

describe("typeNesting", () => {
  it("counts structs, lists, maps and unions, not wide types", () => {
    expect(typeNesting("INTEGER")).toBe(0);
    expect(typeNesting("DECIMAL(18,3)")).toBe(1);
    expect(typeNesting("INTEGER[]")).toBe(1);
    expect(typeNesting("INTEGER[][3][]")).toBe(3);
    expect(typeNesting("STRUCT(a STRUCT(b INTEGER[]))")).toBe(3);
    expect(typeNesting("STRUCT(a STRUCT(b INTEGER)[], c VARCHAR)")).toBe(3);
    expect(typeNesting("MAP(VARCHAR, STRUCT(x INTEGER))")).toBe(2);
    expect(typeNesting(`STRUCT(${Array.from({ length: 500 }, (_, i) => `c${i} DECIMAL(9,2)`).join(", ")})`)).toBe(2);
  });

  it("skips quoted field names, whatever they hold", () => {
    expect(typeNesting('STRUCT("a(((" INTEGER, "b""[]" VARCHAR)')).toBe(1);
    expect(typeNesting('STRUCT("))" STRUCT("""" INTEGER))')).toBe(2);
  });

  it("counts a type left open", () => {
    expect(typeNesting("STRUCT(a STRUCT(b INTEGER")).toBe(2);
  });
});
