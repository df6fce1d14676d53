import { existsSync, readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { inspectFile } from "./file-inspector.ts";
import { inspectFileIsolated } from "./isolated-inspection.ts";
import { tempDir } from "./testing/test-context.ts";
import { deepJson, deepParquet } from "./testing/deep-files.ts";
import { inspectorChildren, whenInspectorStarts } from "./testing/inspector-children.ts";

const tmp = tempDir("isolated");
afterAll(() => tmp.remove());
const file = tmp.file;

afterEach(() => expect(inspectorChildren()).toEqual([]));

describe("inspectFileIsolated", () => {
  it("answers as inspectFile does, for good files and refused ones", async () => {
    const csv = file("people.csv", "id,name\n1,Ada\n2,Grace\n");
    expect(await inspectFileIsolated(csv, { name: "people.csv" })).toEqual(await inspectFile(csv, { name: "people.csv" }));
    const deep = await inspectFileIsolated(file("deep.json", deepJson(20_000)), { name: "deep.json" });
    expect(deep).toMatchObject({ ok: false, issues: [{ code: "FILE_TOO_DEEPLY_NESTED", message: expect.stringMatching(/^Line 1 of "deep.json"/) }] });
  });

  it("refuses a Parquet schema that would crash DuckDB before starting any child", async () => {
    // 100,000 structs inside one another: DuckDB's Parquet reader recurses per level and overflows its stack.
    let settled = false;
    const inspection = inspectFileIsolated(file("deep.parquet", deepParquet(100_000)), { name: "deep.parquet" }).finally(() => (settled = true));
    const seen = new Set<number>();
    while (!settled) {
      for (const pid of inspectorChildren()) seen.add(pid);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(seen.size).toBe(0);
    const r = await inspection;
    expect(r).toMatchObject({ ok: false, issues: [{ code: "FILE_TOO_DEEPLY_NESTED", message: expect.stringContaining("(100000 groups)") }] });
  });

  it("turns a child that dies of a native crash into FILE_UNREADABLE, logs it, and this process lives on", async () => {
    const logs: string[] = [];
    const inspection = inspectFileIsolated(file("crash.csv", "a\n1\n"), { name: "crash.csv" }, { log: (m) => logs.push(m) });
    // What DuckDB overflowing its stack does to the process: SIGSEGV.
    await whenInspectorStarts((pid) => process.kill(pid, "SIGSEGV"));
    expect(await inspection).toEqual({
      ok: false,
      issues: [
        {
          severity: "error",
          code: "FILE_UNREADABLE",
          field: "file",
          message: '"crash.csv" could not be read: the reader stopped unexpectedly (SIGSEGV). The file may be damaged or built in a way Sluice cannot read; check that it opens in another tool, or export it again.',
        },
      ],
    });
    expect(logs).toEqual([expect.stringMatching(/^inspecting .*crash\.csv ended with SIGSEGV/)]);
    expect(await inspectFileIsolated(file("after.csv", "a\n1\n"), { name: "after.csv" })).toMatchObject({ ok: true });
  });

  it("gives the child none of the server's secrets", async () => {
    process.env.SLUICE_SECRET_KEY = "f".repeat(64);
    try {
      const inspection = inspectFileIsolated(file("env.csv", "a\n1\n"), { name: "env.csv" });
      // Read from /proc while the child loads.
      const environ = await whenInspectorStarts((pid) => readFileSync(`/proc/${pid}/environ`, "utf8"));
      expect(await inspection).toMatchObject({ ok: true });
      expect(environ).toContain("PATH=");
      expect(environ).not.toContain("SLUICE_SECRET_KEY");
    } finally {
      delete process.env.SLUICE_SECRET_KEY;
    }
  });

  it("runs no more children at once than the machine has cores (at least two), and answers every upload", async () => {
    const slots = Math.max(2, availableParallelism());
    const inspections = Array.from({ length: slots + 2 }, (_, i) => inspectFileIsolated(file(`burst-${i}.csv`, `a\n${i}\n`), { name: `burst-${i}.csv` }));
    let settled = false;
    const all = Promise.all(inspections).finally(() => (settled = true));
    let most = 0;
    while (!settled) {
      most = Math.max(most, inspectorChildren().length);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect((await all).every((r) => r.ok)).toBe(true);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(slots);
  });

  it("stops an inspection past its time with FILE_UNREADABLE, leaving no process behind", async () => {
    const logs: string[] = [];
    const r = await inspectFileIsolated(file("slow.csv", "a\n1\n"), { name: "slow.csv" }, { timeoutMs: 20, log: (m) => logs.push(m) });
    expect(!r.ok && r.issues).toEqual([expect.objectContaining({ code: "FILE_UNREADABLE", message: expect.stringMatching(/^"slow.csv" could not be read: reading it took longer than 0 s/) })]);
    expect(logs).toEqual([expect.stringMatching(/timed out after 20 ms/)]);
  });

  it("leaves nothing in the temporary folder when a child is killed while DuckDB is reading", async () => {
    // Large enough that the child is still reading when it is killed.
    const rows = Array.from({ length: 400_000 }, (_, i) => `${i},name ${i},${i * 0.5},2024-01-${String((i % 28) + 1).padStart(2, "0")}`);
    const big = file("big.csv", `id,name,amount,day\n${rows.join("\n")}\n`);
    const inspection = inspectFileIsolated(big, { name: "big.csv" });
    const childTmp = await whenInspectorStarts((pid) => /(?:^|\0)TMPDIR=([^\0]*)/.exec(readFileSync(`/proc/${pid}/environ`, "utf8"))?.[1]);
    expect(childTmp).toMatch(/sluice-inspect-/);
    // DuckDB's spill folder appears when the child opens its session; kill it then, as a crash would.
    for (let i = 0; i < 2000 && !(existsSync(childTmp!) && readdirSync(childTmp!).some((n) => n.startsWith("duck-"))); i++) await new Promise((r) => setTimeout(r, 5));
    expect(readdirSync(childTmp!).some((n) => n.startsWith("duck-"))).toBe(true);
    for (const pid of inspectorChildren()) process.kill(pid, "SIGKILL");
    expect(await inspection).toMatchObject({ ok: false, issues: [{ code: "FILE_UNREADABLE" }] });
    expect(existsSync(childTmp!)).toBe(false);
  });
});
