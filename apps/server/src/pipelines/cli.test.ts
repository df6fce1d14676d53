import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
  rmSync(dir, { recursive: true, force: true });
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

    // A broken file is named, with what is wrong with it, and nothing is sent.
    writeFileSync(path.join(dir, "broken.json"), '{"name": "Broken", "graph": ');
    for (const args of [["validate"], ["validate", "--offline"], ["import"]]) {
      const broken = await sluice(...args, path.join(dir, "broken.json"));
      expect(broken.code, args.join(" ")).toBe(1);
      expect(broken.stderr).toContain(`${path.join(dir, "broken.json")}: not valid JSON (`);
    }
    expect((await request(t.app).get("/api/pipelines")).body.pipelines).toHaveLength(0);

    // --param where nothing reads it is a mistake, not something to drop silently.
    for (const args of [["validate"], ["validate", "--offline"], ["import"], ["export", "--out", path.join(dir, "unused")]]) {
      const r = await sluice(...args, path.join(dir, "good.json"), "--param", "since=2024-01-01");
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toContain("--param applies to run and validate --local only");
    }
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

  it("run: a refused token exits 1 with the server's reason and what to pass", async () => {
    const refused = await sluice("run", "Good", "--token", "not-a-token");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("This API token is not valid or has been revoked");
    expect(refused.stderr).toContain("--token or $SLUICE_TOKEN");
  }, 60_000);

  it("run <file.json>: imports the file's one pipeline, runs it and prints each quality rule's result once", async () => {
    const file = path.join(dir, "checked.json");
    writeFileSync(file, JSON.stringify(checkedPipeline(true)));
    const failed = await sluice("run", file);
    expect(failed.code, failed.stderr).toBe(3);
    expect(failed.stdout).toContain("Checked: created (version 1)");
    expect(failed.stdout).toContain('  Checks (qa): passed "n not null": all 3 rows pass');
    expect(failed.stdout).toContain('  Checks (qa): warning "at least 5 rows": 3 rows; expected at least 5');
    expect(failed.stderr).toContain('  Checks (qa): FAILED "n at most 2": 1 of 3 rows fail');
    expect(failed.stdout).not.toMatch(/\b0 rows read/);
    expect(failed.stdout).toMatch(/run \S+ failed: /);

    // Without the failing rule the run succeeds; the warning is printed once, among the run's lines.
    writeFileSync(file, JSON.stringify(checkedPipeline(false)));
    const passed = await sluice("run", file);
    expect(passed.code, passed.stderr).toBe(0);
    expect(passed.stdout).toContain("Checked: updated (version 2)");
    expect(passed.stdout.split('warning "at least 5 rows"')).toHaveLength(2);
    expect(passed.stdout).toMatch(/succeeded: 3 rows read, 3 rows written/);

    // Several pipelines in one file: which one to run is ambiguous.
    writeFileSync(path.join(dir, "two.json"), JSON.stringify({ pipelines: [{ name: "One", graph: graph() }, { name: "Two", graph: graph() }] }));
    const two = await sluice("run", path.join(dir, "two.json"));
    expect(two.code).toBe(2);
    expect(two.stderr).toContain("holds 2 pipelines; run takes a file with exactly one");
    const missing = await sluice("run", path.join(dir, "missing.json"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("and there is no such file");
    const names = (await request(t.app).get("/api/pipelines")).body.pipelines.map((p: { name: string }) => p.name);
    expect(names.sort()).toEqual(["Checked", "Good"]);
  }, 60_000);

  it("import lists each pipeline's problems; --strict exits 1 and saves nothing", async () => {
    const file = path.join(dir, "broken-graph.json");
    writeFileSync(file, JSON.stringify({ name: "Broken graph", graph: graph(true) }));
    const strict = await sluice("import", "--strict", file);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/^Broken graph: would be created; would be saved with \d+ problems?$/m);
    expect(strict.stdout).toMatch(/^ {2}problem UNKNOWN_COLUMN \[typed\.columns\.0\.column\]: /m);
    expect(strict.stderr).toMatch(/Nothing imported: \d+ problems? to fix first \(--strict\)/);
    expect((await request(t.app).get("/api/pipelines")).body.pipelines.map((p: { name: string }) => p.name)).not.toContain("Broken graph");

    const saved = await sluice("import", file);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toMatch(/^Broken graph: created \(version 1\); saved with \d+ problems?$/m);
    expect(saved.stdout).toMatch(/^ {2}problem UNKNOWN_COLUMN \[typed\.columns\.0\.column\]: /m);
    const again = await sluice("import", "--dry-run", "--strict", file);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/^Broken graph: unchanged \(version 1\); has \d+ problems?$/m);
    // A valid pipeline stays quiet about problems, with or without --strict.
    const good = await sluice("import", "--strict", path.join(dir, "good.json"));
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).not.toContain("problem");
  }, 60_000);

  it("export gives pipelines whose names clash their own files, the oldest keeping the plain name", async () => {
    const created: Record<string, string> = {};
    for (const name of ["Orders QA", "orders  qa!", "数据", "———"]) {
      const res = await request(t.app).post("/api/pipelines").send({ name, graph: graph() });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      created[name] = res.body.id;
    }
    const out = path.join(dir, "clashing");
    const r = await sluice("export", "--out", out);
    expect(r.code, r.stderr).toBe(0);
    const expected = {
      "Orders QA": "orders-qa.sluice.json",
      "orders  qa!": `orders-qa-${created["orders  qa!"]!.slice(0, 8)}.sluice.json`,
      数据: "pipeline.sluice.json",
      "———": `pipeline-${created["———"]!.slice(0, 8)}.sluice.json`,
    };
    for (const [name, file] of Object.entries(expected)) {
      expect(JSON.parse(readFileSync(path.join(out, file), "utf8")).name, file).toBe(name);
      expect(r.stdout).toContain(`wrote ${path.join(out, file)}`);
    }
    const all = (await request(t.app).get("/api/pipelines")).body.pipelines;
    expect(readdirSync(out)).toHaveLength(all.length);
    // The same names again next time, so re-exporting into a git folder changes no file names.
    expect((await sluice("export", "--out", out)).stdout).toBe(r.stdout);
  }, 60_000);

  it("Ctrl+C while waiting cancels the run on the server and exits 3", async () => {
    // A server without a worker: the run waits in the queue until it is cancelled.
    const idle = await createTestApp();
    const idleServer = idle.app.listen(0, "127.0.0.1");
    try {
      await new Promise((r) => idleServer.once("listening", r));
      const a = idleServer.address();
      const idleUrl = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
      const child = spawn(process.execPath, [bin, "run", path.join(dir, "good.json"), "--server", idleUrl], { cwd: repoRoot, env: { ...process.env, SLUICE_TOKEN: "" } });
      let stdout = "";
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
      await new Promise<void>((resolve) =>
        child.stdout.on("data", (d) => {
          stdout += d;
          if (/run \S+ queued/.test(stdout)) resolve();
        }),
      );
      child.kill("SIGINT");
      expect(await exited, stdout + stderr).toBe(3);
      expect(stderr).toContain("Cancelling");
      expect(stdout).toMatch(/run \S+ cancelled: rows read unknown/);
      const runs = (await request(idle.app).get("/api/runs")).body.runs;
      expect(runs.map((x: { status: string }) => x.status)).toEqual(["cancelled"]);
    } finally {
      idleServer.close();
      await idle.close();
    }
  }, 60_000);
});

/** An inline table of 1, 2, 3 through a check node: a passing rule, a failing warning and, if asked, a failing rule. */
function checkedPipeline(withFailingRule: boolean) {
  return {
    name: "Checked",
    graph: {
      formatVersion: 1,
      nodes: [
        { id: "src", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "n", type: "integer" }], rows: [[1], [2], [3]] } },
        {
          id: "qa",
          type: "check",
          label: "Checks",
          position: { x: 300, y: 0 },
          config: {
            rules: [
              { kind: "not_null", columns: ["n"] },
              { kind: "row_count", min: 5, severity: "warn" },
              ...(withFailingRule ? [{ kind: "range", column: "n", max: 2, name: "n at most 2" }] : []),
            ],
          },
        },
        { id: "out", type: "file-sink", position: { x: 600, y: 0 }, config: { name: "checked", format: "csv" } },
      ],
      edges: [
        { id: "e1", source: "src", target: "qa", targetPort: "in" },
        { id: "e2", source: "qa", target: "out" },
      ],
    },
  };
}
