import { describe, expect, it } from "vitest";
import { permissionsOf, roleAllows, roleAtMost, roleRank, rolesAbove, roleSchema, rolesAllowed, workspaceActionSchema } from "./role-actions.ts";

describe("the role table", () => {
  it("names every action, and each role's allowed actions include those of every role below it", () => {
    expect(Object.keys(rolesAllowed).sort()).toEqual([...workspaceActionSchema.options].sort());
    const [owner, editor, runner, viewer] = roleSchema.options.map(permissionsOf);
    for (const [higher, lower] of [[owner, editor], [editor, runner], [runner, viewer]] as const) expect(higher).toEqual(expect.arrayContaining(lower ?? []));
  });

  it("matches the design: viewers read and preview, runners also run, editors also edit, owners also manage", () => {
    expect(permissionsOf("viewer")).toEqual(["workspace.read", "pipeline.preview"]);
    expect(permissionsOf("runner")).toEqual(["workspace.read", "pipeline.preview", "run.start"]);
    expect(roleAllows("editor", "schedule.edit")).toBe(true);
    expect(roleAllows("editor", "member.manage")).toBe(false);
    expect(permissionsOf("owner")).toEqual(workspaceActionSchema.options);
  });

  it("orders roles owner > editor > runner > viewer", () => {
    expect(roleSchema.options.map(roleRank)).toEqual([3, 2, 1, 0]);
    expect([roleAtMost("runner", "editor"), roleAtMost("editor", "editor"), roleAtMost("owner", "editor")]).toEqual([true, true, false]);
    expect(rolesAbove("editor")).toEqual(["owner"]);
    expect(rolesAbove("viewer")).toEqual(["owner", "editor", "runner"]);
    expect(rolesAbove("owner")).toEqual([]);
  });
});
