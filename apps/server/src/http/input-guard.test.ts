import { describe, expect, it } from "vitest";
import { AppError } from "./app-error.ts";
import { MAX_INPUT_DEPTH, findInputHazard, guardInput } from "./input-guard.ts";

const nest = (n: number, leaf: unknown = 1): unknown => {
  let v = leaf;
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

describe("findInputHazard", () => {
  it("passes ordinary JSON, including valid surrogate pairs and nesting up to the limit", () => {
    expect(findInputHazard({ name: "Ünï 😀", n: [1, 2.5, -0, null, true], deep: nest(MAX_INPUT_DEPTH - 1) })).toBeUndefined();
    expect(findInputHazard(nest(MAX_INPUT_DEPTH))).toBeUndefined();
    expect(findInputHazard("plain")).toBeUndefined();
  });

  it.each([
    ["a NUL in a value", { graph: { nodes: [{ config: { value: "a\u0000b" } }] } }, "NUL_CHARACTER", ["graph", "nodes", 0, "config", "value"]],
    ["a NUL in a key", { config: { "x\u0000": 1 } }, "NUL_CHARACTER", ["config", "x\u0000"]],
    ["a lone high surrogate", { s: ["ok", "a\ud800"] }, "LONE_SURROGATE", ["s", 1]],
    ["a lone low surrogate in a key", { "\udc00": 1 }, "LONE_SURROGATE", ["\udc00"]],
    ["Infinity (JSON's 1e999)", { x: { y: Infinity } }, "NUMBER_OUT_OF_RANGE", ["x", "y"]],
    ["NaN", [NaN], "NUMBER_OUT_OF_RANGE", [0]],
  ])("finds %s, with its path", (_name, value, code, path) => {
    expect(findInputHazard(value)).toMatchObject({ code, path });
  });

  it("reports the first hazard in document order", () => {
    expect(findInputHazard({ a: ["x", "\u0000"], b: "\u0000" })?.path).toEqual(["a", 1]);
    expect(findInputHazard({ "k\u0000": "v\u0000" })?.path).toEqual(["k\u0000"]);
  });

  it("refuses nesting past the limit, however deep, without using the call stack", () => {
    expect(findInputHazard(nest(MAX_INPUT_DEPTH + 1))).toMatchObject({ code: "TOO_DEEPLY_NESTED" });
    expect(findInputHazard(JSON.parse("[".repeat(200_000) + "]".repeat(200_000)))?.code).toBe("TOO_DEEPLY_NESTED");
    expect(findInputHazard(nest(MAX_INPUT_DEPTH + 1))?.path).toHaveLength(MAX_INPUT_DEPTH);
  });
});

describe("guardInput", () => {
  const refusal = (req: { params?: unknown; query?: unknown; body?: unknown }) => {
    try {
      guardInput({ params: {}, query: {}, body: undefined, ...req } as Parameters<typeof guardInput>[0]);
    } catch (e) {
      if (e instanceof AppError) return e;
      throw e;
    }
    return undefined;
  };

  it("answers 400 with the code and the field, shortening long paths and escaping what cannot be printed", () => {
    const nul = refusal({ body: { graph: { nodes: [{ label: "a\u0000" }] } } });
    expect(nul).toMatchObject({ status: 400, code: "NUL_CHARACTER", details: { problems: [{ field: "body.graph.nodes.0.label" }] } });
    expect(nul?.message).toMatch(/body\.graph\.nodes\.0\.label contains a NUL character/);
    expect(refusal({ query: { "a\u0000": "1" } })?.message).toContain("query.a\\u0000 is a key that contains a NUL");
    expect(refusal({ params: { id: "\ud800" } })).toMatchObject({ code: "LONE_SURROGATE", details: { problems: [{ field: "params.id" }] } });
    const deep = refusal({ body: nest(500) });
    expect(deep?.code).toBe("TOO_DEEPLY_NESTED");
    expect(deep?.message).toMatch(/^The request is not valid\. body\.0\.a\.0\.a\.0\.a\.0\.a\.…\.a\.0\.a is nested more than 64 levels deep/);
    expect(deep?.message.length).toBeLessThan(300);
  });

  it("lets ordinary requests through", () => {
    expect(refusal({ params: { id: "x" }, query: { limit: "5" }, body: { name: "fine" } })).toBeUndefined();
  });
});
