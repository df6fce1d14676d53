import { describe, expect, it } from "vitest";
import { parseParamFlags } from "./param-flags.ts";

describe("parseParamFlags", () => {
  it("reads NAME=VALUE, and refuses a malformed, repeated or reserved name rather than dropping its value", () => {
    expect(parseParamFlags(["since=2024-01-01", "n= 3"])).toEqual({ ok: true, params: { since: "2024-01-01", n: " 3" } });
    expect(parseParamFlags(["=x"])).toMatchObject({ ok: false, message: "--param =x: write NAME=VALUE, e.g. --param since=2024-01-01." });
    expect(parseParamFlags(["a=1", "a=2"])).toMatchObject({ ok: false, message: "--param a is given twice." });
    // Assigned to an object, "__proto__" sets its prototype: the value was silently left out of the request.
    expect(parseParamFlags(["__proto__=x"])).toMatchObject({ ok: false, message: expect.stringContaining("--param __proto__: no pipeline parameter can have this name") });
  });
});
