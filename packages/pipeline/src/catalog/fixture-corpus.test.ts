import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Column, Issue, PipelineGraph } from "@sluice/model";
import type { DataFileInfo, PipelineEnvironment } from "./node-definition.ts";
import { nodeCatalog } from "./registry.ts";
import { loadPipelineFile } from "../format/load-pipeline-file.ts";
import { validateGraph } from "../graph/validate-graph.ts";
import { compileGraph } from "../graph/compile-graph.ts";
import { pushdownReport } from "../graph/pushdown-report.ts";
import { postgresDialect } from "../sql/postgres-dialect.ts";

/**
 * The fixture corpus (packages/pipeline/fixtures, see its README): pipeline files exported before node versions
 * were stored. Every one must still load, validate and compile, so a change to a node's settings that would
 * break files users already have fails here, naming the file and the node.
 */
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../fixtures");

interface FixtureEnvironment {
  files: Record<string, Omit<DataFileInfo, "id" | "path">>;
  sourceColumns: Record<string, Record<string, Column[]>>;
}
const environment = JSON.parse(readFileSync(path.join(FIXTURES, "environment.json"), "utf8")) as FixtureEnvironment;
const fixtures = readdirSync(path.join(FIXTURES, "pipelines"))
  .filter((f) => f.endsWith(".sluice.json"))
  .sort()
  .map((file) => ({ file, json: JSON.parse(readFileSync(path.join(FIXTURES, "pipelines", file), "utf8")) as unknown }));

/** What the placeholders stand for, as the server would know it: files by their upload metadata, sources by the columns they answered. */
const envFor = (file: string): PipelineEnvironment => ({
  file: (id) => {
    const f = environment.files[id];
    return f && { ...f, id, path: `/fixtures/data/${f.name}` };
  },
  sourceColumns: (nodeId) => {
    const columns = environment.sourceColumns[file]?.[nodeId];
    return columns && { ok: true, value: columns };
  },
});

/** A problem as a line that says where it is: `file: node "id" (type) field: CODE message`. */
function describeIssues(file: string, graph: PipelineGraph | undefined, issues: Issue[]): string {
  const typeOf = (id: string | undefined) => graph?.nodes.find((n) => n.id === id)?.type;
  return issues
    .map((i) => `${file}: ${i.nodeId ? `node "${i.nodeId}" (${typeOf(i.nodeId) ?? "?"}) ` : ""}${i.field ? `${i.field}: ` : ""}${i.code} ${i.message}`)
    .join("\n");
}

describe("fixture corpus", () => {
  it("has files, and every node type of the catalog appears in one", () => {
    expect(fixtures.length).toBeGreaterThan(10);
    const used = new Set(fixtures.flatMap(({ json }) => (json as { graph: PipelineGraph }).graph.nodes.map((n) => n.type)));
    const missing = nodeCatalog.map((d) => d.type).filter((t) => !used.has(t));
    expect(missing, `node types without a fixture: export a pipeline that uses each (with non-default settings) into packages/pipeline/fixtures/pipelines`).toEqual([]);
  });

  it.each(fixtures)("$file stays as it was exported: formatVersion 1, no typeVersion", ({ json }) => {
    // Re-exporting a fixture from a newer Sluice would hide exactly the breakage the corpus is here to catch.
    const graph = (json as { graph: { formatVersion: unknown; nodes: Record<string, unknown>[] } }).graph;
    expect(graph.formatVersion).toBe(1);
    expect(graph.nodes.filter((n) => "typeVersion" in n).map((n) => n.id)).toEqual([]);
  });

  it.each(fixtures)("$file loads, validates and compiles", ({ file, json }) => {
    // The one way in, as the CLI, the web import and the server read a file.
    const result = loadPipelineFile(json, file);
    if (!result.ok) expect.fail(`does not load:\n${describeIssues(file, undefined, result.issues)}`);
    expect(result.pipelines).toHaveLength(1);
    const loaded = result.pipelines[0]!;
    expect(loaded.name).toBe((json as { name: string }).name);
    // Loaded as current: every node at its type's version, with a note for each one that had to migrate from 1.
    const current = (type: string) => nodeCatalog.find((d) => d.type === type)?.version;
    expect(loaded.graph.nodes.filter((n) => n.typeVersion !== current(n.type)).map((n) => n.id)).toEqual([]);
    expect(loaded.migrated.map((m) => m.nodeId).sort()).toEqual(loaded.graph.nodes.filter((n) => current(n.type)! > 1).map((n) => n.id).sort());
    const env = envFor(file);
    const validation = validateGraph(loaded.graph, env);
    const errors = validation.problems.filter((p) => p.severity === "error");
    expect(errors, describeIssues(file, loaded.graph, errors)).toEqual([]);
    const compiled = compileGraph(loaded.graph, env);
    if (!compiled.ok) expect.fail(`does not compile:\n${describeIssues(file, loaded.graph, compiled.issues)}`);
    expect(compiled.value.steps.map((s) => s.nodeId).sort()).toEqual(loaded.graph.nodes.map((n) => n.id).sort());
  });

  it.each(fixtures)("$file compiles for PostgreSQL, or says of each node that cannot run there why", ({ file, json }) => {
    const result = loadPipelineFile(json, file);
    if (!result.ok) return;
    const graph = result.pipelines[0]!.graph;
    const report = pushdownReport(graph, envFor(file), postgresDialect);
    expect(report.map((n) => n.nodeId).sort()).toEqual(graph.nodes.map((n) => n.id).sort());
    for (const n of report) if (!n.ok) expect(n.reason, n.nodeId).toMatch(/\w/);
    // A pipeline whose nodes are all pushable compiles whole for PostgreSQL (others throw DialectUnsupported there).
    if (report.every((n) => n.ok)) expect(compileGraph(graph, envFor(file), { dialect: postgresDialect }).ok).toBe(true);
  });
});
