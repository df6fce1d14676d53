import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { FormatMigration } from "./format-migrations.ts";
import { getNodeDefinition } from "../catalog/registry.ts";
import { defineNode, type AnyNodeDefinition } from "../catalog/node-definition.ts";
import { loadPipeline, migratePipeline, type LoadOptions } from "./load-pipeline.ts";
import { validateGraph } from "../graph/validate-graph.ts";

/**
 * A pretend node type at version 3: version 1 kept the count as `n`, version 2 renamed it `count`, version 3 made it
 * `{ rows: count }`. Its migrations throw on a count that is not a number, to show a failed migration.
 */
const counter: AnyNodeDefinition = defineNode({
  ...getNodeDefinition("limit")!,
  type: "counter",
  version: 3,
  configSchema: z.object({ limit: z.object({ rows: z.number() }) }),
  defaultConfig: { limit: { rows: 1 } },
  migrations: [
    { from: 1, up: ({ n, ...rest }) => ({ ...rest, count: n }) },
    {
      from: 2,
      up: ({ count, ...rest }) => {
        if (typeof count !== "number") throw new Error("count is not a number");
        return { ...rest, limit: { rows: count } };
      },
    },
  ],
});
const options: LoadOptions = { lookup: (type) => (type === "counter" ? counter : getNodeDefinition(type)) };
const at = (id: string, config: Record<string, unknown>, typeVersion?: number) => ({
  id,
  type: "counter",
  ...(typeVersion !== undefined ? { typeVersion } : {}),
  position: { x: 0, y: 0 },
  config,
});
const doc = (...nodes: object[]) => ({ formatVersion: 1, nodes, edges: [] });

describe("loadPipeline", () => {
  it("reads a node without typeVersion as version 1 and migrates it through every step, 1 → 2 → 3", () => {
    const r = loadPipeline(doc(at("c", { n: 5, keep: true })), options);
    expect(r).toEqual({
      ok: true,
      graph: doc({ id: "c", type: "counter", typeVersion: 3, position: { x: 0, y: 0 }, config: { keep: true, limit: { rows: 5 } } }),
      migrated: [{ nodeId: "c", type: "counter", from: 1, to: 3, message: "Node `c` (Limit rows) was saved at version 1 and is shown as version 3." }],
    });
  });

  it("starts from the stored version and leaves current nodes alone, filling in their version", () => {
    const r = loadPipeline(doc(at("two", { count: 2 }, 2), at("three", { limit: { rows: 3 } }, 3)), options);
    expect(r.ok && r.graph.nodes.map((n) => [n.typeVersion, n.config])).toEqual([[3, { limit: { rows: 2 } }], [3, { limit: { rows: 3 } }]]);
    expect(r.ok && r.migrated.map((m) => [m.nodeId, m.from])).toEqual([["two", 2]]);
  });

  it("fills in the current version of today's nodes, which have no migrations", () => {
    const r = loadPipeline(doc({ id: "d", type: "dedupe", position: { x: 0, y: 0 }, config: { keep: "last" } }));
    expect(r.ok && r.graph.nodes[0]).toMatchObject({ typeVersion: 1, config: { keep: "last" } });
    expect(r.ok && r.migrated).toEqual([]);
  });

  it("reports a migration that throws as an issue on the node, not a crash", () => {
    const r = loadPipeline(doc(at("bad", { n: "five" }), at("good", { n: 1 })), options);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ severity: "error", code: "NODE_MIGRATION_FAILED", nodeId: "bad", field: "typeVersion" });
    expect(r.issues[0]?.message).toContain("Node `bad` (Limit rows): its stored settings (version 1) could not be brought up to date");
    expect(r.issues[0]?.message).toContain("count is not a number");
  });

  it("refuses a node saved by a newer Sluice, saying to upgrade", () => {
    const r = loadPipeline(doc(at("new", { limit: { rows: 1 } }, 4)), options);
    expect(r).toMatchObject({ ok: false, issues: [{ code: "NODE_VERSION_TOO_NEW", nodeId: "new", field: "typeVersion" }] });
    if (!r.ok) expect(r.issues[0]?.message).toMatch(/newer Sluice .*Upgrade Sluice/);
  });

  it("leaves unknown types and malformed nodes to the schema and validation", () => {
    const unknown = loadPipeline(doc({ id: "u", type: "mystery", typeVersion: 7, position: { x: 0, y: 0 }, config: { a: 1 } }), options);
    expect(unknown.ok && unknown.graph.nodes[0]).toMatchObject({ type: "mystery", typeVersion: 7, config: { a: 1 } });
    const malformed = loadPipeline(doc(at("m", { n: 1 }, 0)), options);
    expect(malformed).toMatchObject({ ok: false, issues: [{ code: "INVALID_GRAPH", nodeId: "m", field: "nodes.0.typeVersion" }] });
  });

  it("runs format migrations before node migrations", () => {
    // Format 1 kept the count of a counter node at the top of the node; format 2 moved it into config.n.
    const formatMigrations: FormatMigration[] = [
      {
        from: 1,
        up: (d) => ({ ...d, nodes: (d.nodes as { count: number; config: object }[]).map(({ count, ...n }) => ({ ...n, config: { ...n.config, n: count } })) }),
      },
    ];
    const old = { formatVersion: 1, nodes: [{ ...at("c", {}), count: 4 }], edges: [] };
    // This Sluice's schema is at format 1, so a pretend format 2 is checked on the migrated document, before parsing.
    const r = migratePipeline(old, { ...options, formatMigrations, currentFormat: 2 });
    expect(r.issues).toEqual([]);
    expect(r.document).toEqual({ formatVersion: 2, nodes: [{ id: "c", type: "counter", typeVersion: 3, position: { x: 0, y: 0 }, config: { limit: { rows: 4 } } }], edges: [] });
  });

  it("is pure: the input is not changed", () => {
    const input = doc(at("c", { n: 5, nested: { a: [1] } }));
    const copy = structuredClone(input);
    const r = loadPipeline(input, options);
    expect(r.ok).toBe(true);
    expect(input).toEqual(copy);
  });

  it("gives validation the same migrated graph, and a failed node's issue once", () => {
    const env = { file: () => undefined, sourceColumns: () => undefined };
    const r = validateGraph(doc({ id: "l", type: "limit", typeVersion: 99, position: { x: 0, y: 0 }, config: { count: 1 } }), env);
    expect(r.problems.filter((p) => p.severity === "error").map((p) => p.code)).toEqual(["NODE_VERSION_TOO_NEW"]);
  });
});
