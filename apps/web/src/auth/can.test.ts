import { describe, expect, it } from "vitest";
import { permissionsOf, type Role } from "@sluice/model";
import { can, whoMay } from "./can.ts";

const me = (role: Role) => ({ workspace: { id: "w", name: "Data", role }, permissions: permissionsOf(role) });

describe("what the signed-in person may do", () => {
  it("allows what the server's permissions list allows", () => {
    expect(can(me("editor"), "pipeline.edit")).toEqual({ allowed: true, reason: null });
    expect(can(me("runner"), "run.start").allowed).toBe(true);
    expect(can(me("viewer"), "pipeline.preview").allowed).toBe(true);
  });

  it("says which roles may, and which one you have", () => {
    expect(can(me("viewer"), "pipeline.edit", "save pipelines")).toEqual({ allowed: false, reason: "Editors and owners can save pipelines; you are a viewer." });
    expect(can(me("viewer"), "run.start").reason).toBe("Runners, editors and owners can start and cancel runs; you are a viewer.");
    expect(can(me("editor"), "member.manage").reason).toBe("Only owners can manage members; you are an editor.");
  });

  it("trusts the server's list over the table, and refuses while nothing is known", () => {
    expect(can({ workspace: { id: "w", name: "Data", role: "owner" }, permissions: [] }, "audit.read").allowed).toBe(false);
    expect(can(undefined, "workspace.read").allowed).toBe(false);
    expect(can({ workspace: null, permissions: [] }, "run.start").reason).toContain("you are not a member of this workspace");
  });

  it("names the roles least trusted first", () => {
    expect(whoMay("workspace.read")).toBe("Viewers, runners, editors and owners");
    expect(whoMay("token.manage")).toBe("Only owners");
  });
});
