import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { inspectFile } from "./file-inspector.ts";
import { inspectFileIsolated } from "./isolated-inspection.ts";
import { tempDir } from "./testing/test-context.ts";
import { deepJson, deepParquet } from "./testing/deep-files.ts";

const tmp = tempDir("isolated");
afterAll(() => tmp.remove());
const file = (name: string, content: Buffer | string) => {
  const p = path.join(tmp.dir, name);
  writeFileSync(p, content);
  return p;
};

/** Inspector children of this process still alive (read from /proc, so a leak is seen however it happened). */
function inspectorChildren(): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const ppid = /^PPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
        return Number(ppid) === process.pid && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("inspect-child");
      } catch {
        return false; // gone while we looked
      }
    })
    .map(Number);
}
afterEach(() => expect(inspectorChildren()).toEqual([]));

describe("inspectFileIsolated", () => {
  it("answers as inspectFile does, for good files and refused ones", async () => {
    const csv = file("people.csv", "id,name\n1,Ada\n2,Grace\n");
    expect(await inspectFileIsolated(csv, { name: "people.csv" })).toEqual(await inspectFile(csv, { name: "people.csv" }));
    const deep = await inspectFileIsolated(file("deep.json", deepJson(20_000)), { name: "deep.json" });
    expect(deep).toMatchObject({ ok: false, issues: [{ code: "FILE_TOO_DEEPLY_NESTED", message: expect.stringMatching(/^Line 1 of "deep.json"/) }] });
  });

  it("turns a file that crashes DuckDB into FILE_UNREADABLE, and this process lives on", async () => {
    // 100,000 nested structs in a Parquet schema: DuckDB's reader recurses per level and overflows its stack.
    const logs: string[] = [];
    const r = await inspectFileIsolated(file("deep.parquet", deepParquet(100_000)), { name: "deep.parquet" }, { log: (m) => logs.push(m) });
    expect(r).toEqual({
      ok: false,
      issues: [
        {
          severity: "error",
          code: "FILE_UNREADABLE",
          field: "file",
          message: expect.stringMatching(/^"deep.parquet" could not be read: the reader stopped unexpectedly \(SIG(SEGV|BUS|ABRT)\)\. .*another tool/),
        },
      ],
    });
    expect(logs).toEqual([expect.stringMatching(/^inspecting .*deep\.parquet ended with SIG/)]);
    expect(await inspectFileIsolated(file("after.csv", "a\n1\n"), { name: "after.csv" })).toMatchObject({ ok: true });
  });

  it("gives the child none of the server's secrets", async () => {
    process.env.SLUICE_SECRET_KEY = "f".repeat(64);
    try {
      const inspection = inspectFileIsolated(file("env.csv", "a\n1\n"), { name: "env.csv" });
      let environ = "";
      // The child needs a few hundred milliseconds to start: long enough to read its environment from /proc.
      for (let i = 0; i < 500 && !environ; i++) {
        const pid = inspectorChildren()[0];
        if (pid) environ = readFileSync(`/proc/${pid}/environ`, "utf8");
        else await new Promise((r) => setTimeout(r, 5));
      }
      expect(await inspection).toMatchObject({ ok: true });
      expect(environ).toContain("PATH=");
      expect(environ).not.toContain("SLUICE_SECRET_KEY");
    } finally {
      delete process.env.SLUICE_SECRET_KEY;
    }
  });

  it("stops an inspection past its time with FILE_UNREADABLE, leaving no process behind", async () => {
    const logs: string[] = [];
    const r = await inspectFileIsolated(file("slow.csv", "a\n1\n"), { name: "slow.csv" }, { timeoutMs: 20, log: (m) => logs.push(m) });
    expect(!r.ok && r.issues).toEqual([expect.objectContaining({ code: "FILE_UNREADABLE", message: expect.stringMatching(/^"slow.csv" could not be read: reading it took longer than 0 s/) })]);
    expect(logs).toEqual([expect.stringMatching(/timed out after 20 ms/)]);
  });
});
