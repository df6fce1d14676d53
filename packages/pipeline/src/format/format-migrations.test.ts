import { describe, expect, it } from "vitest";
import { FORMAT_MIGRATIONS, runFormatMigrations, type FormatMigration } from "./format-migrations.ts";

// A pretend format history: version 1 called the node list "steps", version 2 renamed it "nodes".
const history: FormatMigration[] = [
  { from: 1, up: ({ steps, ...rest }) => ({ ...rest, nodes: steps }) },
  { from: 2, up: (doc) => ({ ...doc, edges: doc.edges ?? [] }) },
];

describe("format migrations", () => {
  it("has one migration per older format version, in order", () => {
    expect(FORMAT_MIGRATIONS.map((m) => m.from)).toEqual([]);
    expect(runFormatMigrations({ formatVersion: 1, nodes: [], edges: [] })).toEqual({ ok: true, document: { formatVersion: 1, nodes: [], edges: [] }, from: 1 });
  });

  it("runs each step from the document's version to the current one, without changing the input", () => {
    const old = { formatVersion: 1, steps: [{ id: "a" }] };
    const copy = structuredClone(old);
    const r = runFormatMigrations(old, history, 3);
    expect(r).toEqual({ ok: true, document: { formatVersion: 3, nodes: [{ id: "a" }], edges: [] }, from: 1 });
    expect(old).toEqual(copy);
    expect(runFormatMigrations({ formatVersion: 2, nodes: [], edges: [{ id: "e" }] }, history, 3)).toMatchObject({ document: { formatVersion: 3, edges: [{ id: "e" }] }, from: 2 });
  });

  it("refuses a format newer than it knows, saying to upgrade Sluice", () => {
    const r = runFormatMigrations({ formatVersion: 4, nodes: [], edges: [] }, history, 3);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]).toMatchObject({ code: "FORMAT_VERSION_TOO_NEW", field: "formatVersion" });
    expect(r.issues[0]?.message).toMatch(/Upgrade Sluice/);
  });

  it("reports a migration that throws as an issue", () => {
    const broken: FormatMigration[] = [{ from: 1, up: () => { throw new Error("steps is not a list"); } }];
    const r = runFormatMigrations({ formatVersion: 1, steps: 3 }, broken, 2);
    expect(r).toMatchObject({ ok: false, issues: [{ code: "FORMAT_MIGRATION_FAILED" }] });
    if (!r.ok) expect(r.issues[0]?.message).toMatch(/could not be brought up to date \(steps is not a list\)/);
  });

  it("leaves documents it cannot read a version from for parsing to report", () => {
    for (const doc of [null, [], "x", { nodes: [] }, { formatVersion: "1" }, { formatVersion: 0 }]) {
      expect(runFormatMigrations(doc, history, 3)).toEqual({ ok: true, document: doc, from: undefined });
    }
  });
});
