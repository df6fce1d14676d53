import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cruise, type ICruiseResult } from "dependency-cruiser";
import { ESLint } from "eslint";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The dependency check of `npm run lint` (.dependency-cruiser.cjs), run through dependency-cruiser's API: on a small
// tree laid out like this repository, with one wrong import per rule and the allowed ones beside them, and on the repo.

const CONFIG = path.resolve(import.meta.dirname, ".dependency-cruiser.cjs");

/** A file per path: wrong imports and the allowed ones next to them, so a rule that fires too often fails too. */
const FIXTURE: Record<string, string> = {
  "packages/model/package.json": JSON.stringify({ name: "@sluice/model", type: "module", exports: { ".": "./src/index.ts" } }),
  "packages/model/src/index.ts": `export const model = 1;\n`,
  "packages/model/src/uses-pipeline.ts": `import { pipeline } from "@sluice/pipeline";\nexport const up = pipeline;\n`,
  "packages/model/src/view.ts": `import React from "react";\nexport const view = React;\n`,
  "packages/pipeline/package.json": JSON.stringify({ name: "@sluice/pipeline", type: "module", exports: { ".": "./src/index.ts" } }),
  "packages/pipeline/src/index.ts": `import { model } from "@sluice/model";\nexport const pipeline = model;\n`,
  "packages/pipeline/src/read.ts": `import { readFileSync } from "node:fs";\nimport { join } from "path";\nexport const read = [readFileSync, join];\n`,
  "packages/pipeline/src/read.test.ts": `import { readFileSync } from "node:fs";\nexport const inTest = readFileSync;\n`,
  "packages/pipeline/src/uses-engine.ts": `import { engine } from "@sluice/engine";\nexport const down = engine;\n`,
  "packages/engine/package.json": JSON.stringify({ name: "@sluice/engine", type: "module", exports: { ".": "./src/index.ts" } }),
  "packages/engine/src/index.ts": `import { pipeline } from "@sluice/pipeline";\nexport const engine = pipeline;\n`,
  "packages/engine/src/connectors/pg-copy.ts": `export const copy = 1;\n`,
  "packages/engine/src/uses-server.ts": `import { started } from "../../../apps/server/src/main.ts";\nexport const up = started;\n`,
  "packages/cli/src/uses-server.ts": `import { started } from "../../../apps/server/src/main.ts";\nexport const cli = started;\n`,
  "apps/web/src/page.ts": `import { engine } from "@sluice/engine";\nimport { pipeline } from "@sluice/pipeline";\nexport const page = [engine, pipeline];\n`,
  "apps/server/src/generated/prisma/client.ts": `export class PrismaClient {}\n`,
  "apps/server/src/db/prisma.ts": `import { PrismaClient } from "../generated/prisma/client.ts";\nexport type Db = PrismaClient;\nexport const createPrisma = (): Db => new PrismaClient();\n`,
  "apps/server/src/main.ts": `import { createPrisma } from "./db/prisma.ts";\nimport { engine } from "@sluice/engine";\nexport const started = [createPrisma, engine];\n`,
  "apps/server/src/runs/run.repository.ts": `import type { Db } from "../db/prisma.ts";\nimport { PrismaClient } from "../generated/prisma/client.ts";\nexport const repo = (db: Db) => [db, PrismaClient];\n`,
  "apps/server/src/runs/run.service.ts": `import type { Db } from "../db/prisma.ts";\nexport const service = (db: Db) => db;\n`,
  "apps/server/src/runs/run-worker.ts": `import { PrismaClient } from "../generated/prisma/client.ts";\nexport const worker = PrismaClient;\n`,
  "apps/server/src/runs/own-client.ts": `import { createPrisma } from "../db/prisma.ts";\nexport const own = createPrisma;\n`,
  "apps/server/src/bench/floor.ts": `import { copy } from "../../../../packages/engine/src/connectors/pg-copy.ts";\nexport const floor = copy;\n`,
  "node_modules/react/package.json": JSON.stringify({ name: "react", main: "index.js" }),
  "node_modules/react/index.js": `module.exports = {};\n`,
};

let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "sluice-architecture-"));
  for (const [file, text] of Object.entries(FIXTURE)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  // Workspace packages are installed as links to their folders, as npm does.
  mkdirSync(path.join(root, "node_modules/@sluice"), { recursive: true });
  for (const name of ["model", "pipeline", "engine"]) symlinkSync(`../../packages/${name}`, path.join(root, "node_modules/@sluice", name), "dir");
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Each violation as "rule: from -> to", sorted. */
async function violations(baseDir: string, paths: string[]): Promise<string[]> {
  const options = await extractDepcruiseOptions(CONFIG);
  const result = await cruise(paths, { ...options, baseDir });
  const output = result.output as ICruiseResult;
  return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

describe("the dependency check (.dependency-cruiser.cjs)", () => {
  it("reports each wrong import of the fixture by its rule, and none of the allowed ones", async () => {
    expect(await violations(root, ["apps", "packages"])).toEqual(
      [
        "web-not-engine-or-server: apps/web/src/page.ts -> packages/engine/src/index.ts",
        // Resolved names: node:fs and path alike are Node's own modules.
        "core-no-node-builtins: packages/pipeline/src/read.ts -> fs",
        "core-no-node-builtins: packages/pipeline/src/read.ts -> path",
        "core-no-frameworks: packages/model/src/view.ts -> node_modules/react/index.js",
        "no-deep-import: apps/server/src/bench/floor.ts -> packages/engine/src/connectors/pg-copy.ts",
        "no-relative-import-across-packages: apps/server/src/bench/floor.ts -> packages/engine/src/connectors/pg-copy.ts",
        "model-imports-no-workspace: packages/model/src/uses-pipeline.ts -> packages/pipeline/src/index.ts",
        "pipeline-imports-only-model: packages/pipeline/src/uses-engine.ts -> packages/engine/src/index.ts",
        "engine-imports-only-model-and-pipeline: packages/engine/src/uses-server.ts -> apps/server/src/main.ts",
        "cli-and-server-apart: packages/cli/src/uses-server.ts -> apps/server/src/main.ts",
        "prisma-only-in-repositories: apps/server/src/runs/run-worker.ts -> apps/server/src/generated/prisma/client.ts",
        "db-client-made-only-in-wiring: apps/server/src/runs/own-client.ts -> apps/server/src/db/prisma.ts",
      ].sort(),
    );
  });

  it("finds no violation in this repository", async () => {
    expect(await violations(import.meta.dirname, ["apps", "packages", "e2e", "prisma"])).toEqual([]);
  });
});

describe("the lint's half of Prisma in repositories only (eslint.config.js)", () => {
  const eslint = new ESLint({ cwd: import.meta.dirname });
  const findings = async (file: string, code: string) =>
    (await eslint.lintText(code, { filePath: path.join(import.meta.dirname, file) }))[0]!.messages.map((m) => `${m.ruleId}:${m.line}`);
  // Linted as text, never compiled: the handles need no types.
  const code = [
    "export async function f(o, db, tx) {",
    "  await o.db.run.findUnique({ where: { id: 1 } });",
    "  await tx.user.count();",
    "  await db.$queryRaw`SELECT 1`;",
    "  await db.$transaction(async (t: unknown) => t);",
    "}",
  ].join("\n");

  it("reports queries and raw SQL on a database handle outside a repository, but not opening a transaction", async () => {
    expect(await findings("apps/server/src/runs/some.service.ts", code)).toEqual(["no-restricted-syntax:2", "no-restricted-syntax:3", "no-restricted-syntax:4"]);
  });

  it("lets a repository query", async () => {
    expect(await findings("apps/server/src/runs/some.repository.ts", code)).toEqual([]);
  });
});

describe("the lint's Prisma queries that cost more than they read (eslint.config.js)", () => {
  const eslint = new ESLint({ cwd: import.meta.dirname });
  const findings = async (file: string, code: string) =>
    (await eslint.lintText(code, { filePath: path.join(import.meta.dirname, file) }))[0]!.messages.map((m) => `${m.ruleId}:${m.line}`);
  const code = [
    "const lastRun = { runs: { orderBy: { createdAt: 'desc' }, take: 1 } };",
    "export async function f(db) {",
    "  await db.pipeline.findMany({ where: { w: 1 }, include: { deliveries: { take: 5 } } });",
    "  await db.dataFile.findMany({ where: { originalName: { startsWith: 'a' } } });",
    "  await db.run.findMany({ where: { error: { contains: 'x' } }, take: 20 });",
    "  return lastRun;",
    "}",
  ].join("\n");

  it("reports a take inside an include and a LIKE filter in a repository, but not a query's own take", async () => {
    expect(await findings("apps/server/src/runs/some.repository.ts", code)).toEqual([
      "no-restricted-syntax:1",
      "no-restricted-syntax:3",
      "no-restricted-syntax:4",
      "no-restricted-syntax:5",
    ]);
  });
});

describe("the lint's fail() with a spread list (eslint.config.js)", () => {
  const eslint = new ESLint({ cwd: import.meta.dirname });
  const findings = async (file: string, code: string) =>
    (await eslint.lintText(code, { filePath: path.join(import.meta.dirname, file) }))[0]!.messages.map((m) => `${m.ruleId}:${m.line}`);
  const code = [
    'import { fail, failAll } from "@sluice/model";',
    "export const spread = (issues) => fail(...issues);",
    "export const list = (issues) => failAll(issues);",
    "export const one = (issue) => fail(issue);",
  ].join("\n");

  it("reports a list spread into fail() in the pipeline package, where problems grow with the request, not in its tests", async () => {
    expect(await findings("packages/pipeline/src/nodes/some.node.ts", code)).toEqual(["no-restricted-syntax:2"]);
    expect(await findings("packages/pipeline/src/nodes/some.node.test.ts", code)).toEqual([]);
  });
});
