import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { nodeCatalog, getNodeDefinition } from "./registry.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const nodesDir = path.join(here, "../nodes");
const docsDir = path.join(here, "../../../../docs/nodes");
const nodeFiles = readdirSync(nodesDir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".node.ts"));

describe("node catalog", () => {
  it("registers every node file, once", () => {
    expect(nodeCatalog.length).toBe(nodeFiles.length);
    expect(new Set(nodeCatalog.map((d) => d.type)).size).toBe(nodeCatalog.length);
  });

  it.each(nodeCatalog.map((d) => [d.type, d] as const))("%s is complete and consistent", (type, def) => {
    expect(type).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    expect(getNodeDefinition(type)).toBe(def);
    expect(def.label.length).toBeGreaterThan(0);
    expect(def.description.length).toBeGreaterThan(0);
    expect(def.version).toBeGreaterThanOrEqual(1);
    // A stored node of any older version can be brought to the current one: one migration per older version, in order.
    expect(
      (def.migrations ?? []).map((m) => m.from),
      `${type} is at version ${def.version}: declare migrations from 1 to ${def.version - 1}, in order, in ${type}.node.ts`,
    ).toEqual(Array.from({ length: def.version - 1 }, (_, i) => i + 1));
    // Sources take no input, sinks give no output, everything else has both.
    if (def.category === "source") expect(def.inputs).toEqual([]);
    else expect(def.inputs.length).toBeGreaterThan(0);
    if (def.category === "sink") expect(def.outputs).toEqual([]);
    else expect(def.outputs.length).toBeGreaterThan(0);
    for (const p of [...def.inputs, ...def.outputs]) expect(p.name).toMatch(/^[a-z][a-z_]*$/);
    // The default config is what the canvas puts on a new node: it must parse and summarize.
    const parsed = def.configSchema.safeParse(def.defaultConfig);
    expect(parsed.success, JSON.stringify(!parsed.success && parsed.error.issues)).toBe(true);
    expect(typeof def.summary(parsed.success ? parsed.data : def.defaultConfig)).toBe("string");
    // Column lineage is declared next to inferSchema (the type requires it; this catches a definition cast past it).
    expect(typeof def.lineage, `${type}.node.ts declares lineage(ctx, config): where each output column comes from (docs/lineage.md)`).toBe("function");
    // One file, one test beside it, one documentation page.
    const file = nodeFiles.find((f) => path.basename(f) === `${type}.node.ts`);
    expect(file, `nodes/*/${type}.node.ts`).toBeDefined();
    expect(existsSync(path.join(nodesDir, file!.replace(/\.ts$/, ".test.ts"))), `${type}.node.test.ts`).toBe(true);
    expect(existsSync(path.join(docsDir, `${type}.md`)), `docs/nodes/${type}.md`).toBe(true);
    // The page says where each output column comes from, as lineage() declares it (docs/lineage.md).
    expect(readFileSync(path.join(docsDir, `${type}.md`), "utf8"), `docs/nodes/${type}.md has a "Lineage" section`).toContain("\n## Lineage\n");
    // The page says what the node does with row order, as its definition does (docs/engine.md, "Row order").
    const rowOrder = readFileSync(path.join(docsDir, `${type}.md`), "utf8").split("## Row order")[1];
    expect(rowOrder, `docs/nodes/${type}.md has a "Row order" section`).toBeDefined();
    const use = def.rowOrder?.(def.defaultConfig) ?? "keeps";
    if (use !== "keeps") expect(rowOrder!.toLowerCase(), `docs/nodes/${type}.md says it ${use} row order`).toContain(`**${use}**`);
  });
});
