import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { AnyNodeDefinition } from "./node-definition.ts";
import { nodeCatalog } from "./registry.ts";
import { configSchemaSnapshot, snapshotFileName, snapshotProblems, snapshotToWrite } from "./schema-snapshot.ts";

/**
 * Every node type's config schema, per version, is a committed file in schema-snapshots/ (reviewed like code).
 * Changing a schema without bumping the node's version and adding a migration fails here and says what to add;
 * UPDATE_SCHEMA_SNAPSHOTS=1 writes the snapshot of a new current version, never over an existing one.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../../../..");
const SNAPSHOTS = path.join(here, "schema-snapshots");
const TEST_FILE = path.relative(repoRoot, fileURLToPath(import.meta.url));
const rel = (file: string) => path.relative(repoRoot, file).split(path.sep).join("/");

const snapshots = new Map<string, Map<number, string>>();
function readSnapshots() {
  snapshots.clear();
  for (const file of readdirSync(SNAPSHOTS)) {
    const m = /^(.+)\.v(\d+)\.json$/.exec(file);
    if (!m) throw new Error(`schema-snapshots/${file} is not named <type>.v<version>.json`);
    const byVersion = snapshots.get(m[1]!) ?? new Map<number, string>();
    byVersion.set(Number(m[2]), readFileSync(path.join(SNAPSHOTS, file), "utf8"));
    snapshots.set(m[1]!, byVersion);
  }
}
const versionsOf = (type: string) => snapshots.get(type) ?? new Map<number, string>();

/** Each definition's own file, found by importing every *.node.ts and matching what it exports. */
const nodeFiles = new Map<AnyNodeDefinition, string>();

beforeAll(async () => {
  const nodesDir = path.join(here, "../nodes");
  const files = readdirSync(nodesDir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".node.ts"));
  for (const f of files) {
    const mod = (await import(path.join(nodesDir, f))) as Record<string, unknown>;
    for (const value of Object.values(mod)) if (nodeCatalog.includes(value as AnyNodeDefinition)) nodeFiles.set(value as AnyNodeDefinition, rel(path.join(nodesDir, f)));
  }
  mkdirSync(SNAPSHOTS, { recursive: true });
  readSnapshots();
  if (process.env.UPDATE_SCHEMA_SNAPSHOTS === "1") {
    for (const def of nodeCatalog) {
      const write = snapshotToWrite(def, versionsOf(def.type));
      // "wx": refuse to replace a file, even one that appeared since it was read.
      if (write) writeFileSync(path.join(SNAPSHOTS, write.file), write.text, { flag: "wx" });
    }
    readSnapshots();
  }
});

describe("node config schema snapshots", () => {
  it.each(nodeCatalog.map((def) => ({ type: def.type, def })))('node "$type" matches the snapshot of its version, and keeps the older ones', ({ def }) => {
    const problems = snapshotProblems(def, versionsOf(def.type), { nodeFile: nodeFiles.get(def) ?? "its .node.ts file", testFile: TEST_FILE });
    expect(problems, problems.join("\n")).toEqual([]);
  });

  it("has no snapshot of a node type the catalog does not have", () => {
    const known = new Set(nodeCatalog.map((d) => d.type));
    const stray = [...snapshots.keys()].filter((t) => !known.has(t));
    expect(stray, `snapshots of unknown node types (a removed type leaves saved pipelines unreadable; keep it, or give it a migration path): ${stray.join(", ")}`).toEqual([]);
  });

  it("finds every node's own file", () => {
    expect(nodeCatalog.filter((d) => !nodeFiles.has(d)).map((d) => d.type)).toEqual([]);
  });
});

describe("schema change detection", () => {
  const paths = { nodeFile: "packages/pipeline/src/nodes/clean/filter.node.ts", testFile: "packages/pipeline/src/catalog/schema-snapshots.test.ts" };
  const v1 = z.object({ column: z.string().default(""), mode: z.enum(["keep", "drop"]).default("keep") });
  const stored = new Map([[1, configSchemaSnapshot({ configSchema: v1 })]]);

  it("fails a changed schema at the same version, saying to bump it, add a migration and write the snapshot", () => {
    const renamed = z.object({ columnName: z.string().default(""), mode: z.enum(["keep", "drop"]).default("keep") });
    expect(snapshotProblems({ type: "filter", version: 1, configSchema: renamed }, stored, paths)).toEqual([
      'node "filter" config schema changed but its version is still 1: bump version to 2 in packages/pipeline/src/nodes/clean/filter.node.ts, ' +
        "add a migration { from: 1, up } that turns version-1 settings into version-2 settings, and write the new snapshot with " +
        "UPDATE_SCHEMA_SNAPSHOTS=1 npx vitest run packages/pipeline/src/catalog/schema-snapshots.test.ts (if the change is a mistake, undo it instead; filter.v1.json stays as it is)",
    ]);
  });

  it("the real filter node, given one more option, is caught against its committed snapshot", () => {
    const filter = nodeCatalog.find((d) => d.type === "filter")!;
    const changed = (filter.configSchema as z.ZodObject).extend({ caseSensitive: z.boolean().default(true) });
    const problems = snapshotProblems({ ...filter, configSchema: changed }, versionsOf("filter"), { nodeFile: nodeFiles.get(filter)!, testFile: TEST_FILE });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^node "filter" config schema changed but its version is still 1: bump version to 2 in packages\/pipeline\/src\/nodes\/clean\/filter\.node\.ts, add a migration \{ from: 1, up \} that turns version-1 settings into version-2 settings, and write the new snapshot with UPDATE_SCHEMA_SNAPSHOTS=1 npx vitest run packages\/pipeline\/src\/catalog\/schema-snapshots\.test\.ts/,
    );
  });

  it("catches a changed default, a new enum value and a field made required", () => {
    const variants = [
      z.object({ column: z.string().default("id"), mode: z.enum(["keep", "drop"]).default("keep") }),
      z.object({ column: z.string().default(""), mode: z.enum(["keep", "drop", "mask"]).default("keep") }),
      z.object({ column: z.string(), mode: z.enum(["keep", "drop"]).default("keep") }),
    ];
    for (const configSchema of variants) expect(snapshotProblems({ type: "x", version: 1, configSchema }, stored, paths)).toHaveLength(1);
  });

  it("lets pass what changes no saved config: field order and help texts", () => {
    const same = z.object({ mode: z.enum(["keep", "drop"]).default("keep").describe("what to do"), column: z.string().default("").describe("which column") });
    expect(snapshotProblems({ type: "x", version: 1, configSchema: same }, stored, paths)).toEqual([]);
  });

  it("after a bump: asks for the new version's snapshot, keeps the old one, and update mode writes only the missing current one", () => {
    const v2 = z.object({ columnName: z.string().default(""), mode: z.enum(["keep", "drop"]).default("keep") });
    const def = { type: "filter", version: 2, configSchema: v2 };
    expect(snapshotProblems(def, stored, paths)).toEqual([
      'node "filter" is at version 2 but has no schema snapshot for it: write it with UPDATE_SCHEMA_SNAPSHOTS=1 npx vitest run packages/pipeline/src/catalog/schema-snapshots.test.ts, and commit it with the node (and its migration { from: 1, up })',
    ]);
    const write = snapshotToWrite(def, stored);
    expect(write).toEqual({ file: snapshotFileName("filter", 2), text: configSchemaSnapshot({ configSchema: v2 }) });
    const after = new Map([...stored, [2, write!.text]]);
    expect(snapshotProblems(def, after, paths)).toEqual([]);
    // Nothing more to write, and an existing snapshot is never rewritten, even when the schema moved on.
    expect(snapshotToWrite(def, after)).toBeUndefined();
    expect(snapshotToWrite({ ...def, configSchema: z.object({}) }, after)).toBeUndefined();
  });

  it("fails when an older version's snapshot is gone, or one is newer than the node", () => {
    const def = { type: "filter", version: 2, configSchema: v1 };
    expect(snapshotProblems(def, new Map([[2, configSchemaSnapshot(def)]]), paths)).toEqual([
      expect.stringMatching(/^node "filter" has no schema snapshot of version 1: old snapshots are kept/),
    ]);
    expect(snapshotProblems({ ...def, version: 1 }, new Map([[1, stored.get(1)!], [2, "{}"]]), paths)).toEqual([
      expect.stringMatching(/^node "filter" has a schema snapshot of version 2 but is at version 1/),
    ]);
  });
});
