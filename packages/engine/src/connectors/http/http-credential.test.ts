import { describe, expect, it } from "vitest";
import { jsonWithoutSecrets } from "./http-credential.ts";

const credential = {
  name: "API",
  hosts: ["api.example.com"],
  headers: [
    { name: "Authorization", value: "Bearer tok-2b8d4f6a1c9e7035" },
    { name: "X-Tenant", value: "42" },
  ],
  queryParams: [{ name: "api_key", value: "ak/7f3e 9b1c5d2a" }],
};

describe("jsonWithoutSecrets", () => {
  it("replaces every secret of 8 characters or more in values and keys, however the API quotes it, and leaves short ones", () => {
    const json = JSON.parse(
      JSON.stringify({
        items: [{ self: "https://api.example.com/x?api_key=ak%2F7f3e+9b1c5d2a", raw: "ak/7f3e 9b1c5d2a", auth: "Bearer tok-2b8d4f6a1c9e7035", tenant: "42", n: 42 }],
        ["tok-2b8d4f6a1c9e7035"]: ["tok-2b8d4f6a1c9e7035", null, true],
      }),
    ) as unknown;
    expect(jsonWithoutSecrets(json, credential)).toEqual({
      items: [{ self: "https://api.example.com/x?api_key=[secret]", raw: "[secret]", auth: "[secret]", tenant: "42", n: 42 }],
      "[secret]": ["[secret]", null, true],
    });
    expect(jsonWithoutSecrets("tok-2b8d4f6a1c9e7035", credential)).toBe("[secret]");
    expect(jsonWithoutSecrets({ a: "tok-2b8d4f6a1c9e7035" }, undefined)).toEqual({ a: "tok-2b8d4f6a1c9e7035" });
  });

  it("walks a response nested far deeper than the stack would allow", () => {
    const depth = 200_000;
    const json = JSON.parse(`${"[".repeat(depth)}"tok-2b8d4f6a1c9e7035"${"]".repeat(depth)}`) as unknown;
    let inner = jsonWithoutSecrets(json, credential);
    for (let i = 0; i < depth; i++) inner = (inner as unknown[])[0];
    expect(inner).toBe("[secret]");
  });
});
