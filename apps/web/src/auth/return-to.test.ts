import { describe, expect, it } from "vitest";
import { safeReturnTo, signInPath } from "./return-to.ts";

describe("returning after sign-in", () => {
  it("keeps the page, its query and its hash", () => {
    const path = signInPath({ pathname: "/pipelines/p1", search: "?tab=runs", hash: "#n" });
    expect(path).toBe("/sign-in?returnTo=%2Fpipelines%2Fp1%3Ftab%3Druns%23n");
    expect(safeReturnTo(new URLSearchParams(path.split("?")[1]).get("returnTo"))).toBe("/pipelines/p1?tab=runs#n");
  });

  it("does not come back to a signed-out page, except an invitation", () => {
    expect(signInPath({ pathname: "/sign-in", search: "?error=X", hash: "" })).toBe("/sign-in");
    expect(safeReturnTo("/setup")).toBe("/");
    expect(safeReturnTo("/invite#tok")).toBe("/invite#tok");
  });

  it("never leaves the app", () => {
    for (const bad of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "", null, undefined]) expect(safeReturnTo(bad)).toBe("/");
  });
});
