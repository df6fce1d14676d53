import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { repoRoot } from "../config.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";

// The real `sluice` command (packages/cli) as CI would call it, against a real server.
const run = promisify(execFile);
const bin = path.join(repoRoot, "packages/cli/bin/sluice.mjs");
let t: TestApp;
let server: Server;
let url: string;
const dir = mkdtempSync(path.join(tmpdir(), "sluice-cli-"));

async function sluice(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [bin, ...args], { cwd: repoRoot, env: { ...process.env, SLUICE_SERVER: url, SLUICE_TOKEN: "" } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

const graph = (bad = false) => ({
  formatVersion: 1,
  nodes: [
    { id: "src", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "n", type: "string" }], rows: [["1"], ["x"]] } },
    { id: "typed", type: "retype", position: { x: 300, y: 0 }, config: { columns: [{ column: bad ? "m" : "n", to: "integer" }], onError: "fail" } },
    { id: "out", type: "file-sink", position: { x: 600, y: 0 }, config: { name: "out", format: "csv" } },
  ],
  edges: [
    { id: "e1", source: "src", target: "typed" },
    { id: "e2", source: "typed", sourcePort: "out", target: "out" },
  ],
});

beforeAll(async () => {
  t = await createTestApp({ startWorker: true });
  server = t.app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const a = server.address();
  url = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
}, 60_000);
afterAll(async () => {
  server?.close();
  await t?.close();
});

describe("the sluice command line", () => {
  it("validate: 0 when valid, 1 with each problem's node and field, 2 on usage errors, 4 when the server is down", async () => {
    writeFileSync(path.join(dir, "good.json"), JSON.stringify({ name: "Good", graph: graph() }));
    writeFileSync(path.join(dir, "bad.json"), JSON.stringify({ name: "Bad", graph: graph(true) }));
    const good = await sluice("validate", path.join(dir, "good.json"));
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toContain("valid");
    const bad = await sluice("validate", path.join(dir, "bad.json"));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/\[typed\.columns\.0\.column\]/);
    expect((await sluice("validate")).code).toBe(2);
    expect((await sluice("frobnicate")).code).toBe(2);
    const down = await sluice("validate", path.join(dir, "good.json"), "--server", "http://127.0.0.1:1");
    expect(down.code).toBe(4);
    expect(down.stderr).toContain("Cannot reach the Sluice server");
    expect((await sluice("validate", "--offline", path.join(dir, "bad.json"))).code).toBe(0);
  }, 60_000);

  it("import, export and run: exit 0 on success, 3 when the run fails", async () => {
    const imported = await sluice("import", path.join(dir, "good.json"));
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain("Good: created");
    const again = await sluice("import", "--dry-run", path.join(dir, "good.json"));
    expect(again.stdout).toContain("Good: unchanged");

    // "x" does not convert and the retype fails on bad values: the run fails, and the exit code says so.
    const failed = await sluice("run", "Good");
    expect(failed.code).toBe(3);
    expect(failed.stdout).toMatch(/failed/);

    const fixed = { name: "Good", graph: { ...graph(), nodes: graph().nodes.map((n) => (n.id === "typed" ? { ...n, config: { columns: [{ column: "n", to: "integer" }], onError: "null" } } : n)) } };
    writeFileSync(path.join(dir, "good.json"), JSON.stringify(fixed));
    const update = await sluice("import", path.join(dir, "good.json"));
    expect(update.stdout).toContain("Good: updated (version 2)");
    expect(update.stdout).toContain('node "typed" changed: config.onError');
    const ok = await sluice("run", "Good");
    expect(ok.code, ok.stderr + ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/succeeded: 2 rows read/);

    const out = path.join(dir, "exported");
    expect((await sluice("export", "--out", out)).code).toBe(0);
    expect(readdirSync(out)).toContain("good.sluice.json");
    expect(JSON.parse(readFileSync(path.join(out, "good.sluice.json"), "utf8")).name).toBe("Good");
    // An "export all" file from the API imports as it is.
    const all = (await request(t.app).get("/api/export/pipelines")).body;
    writeFileSync(path.join(dir, "all.json"), JSON.stringify(all));
    expect((await sluice("import", "--dry-run", path.join(dir, "all.json"))).stdout).toContain("Good: unchanged");
    expect((await sluice("run", "No such pipeline")).code).toBe(1);
    expect((await request(t.app).get("/api/pipelines")).body.pipelines).toHaveLength(1);
  }, 60_000);
});
