import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSession, type DuckSession } from "./duckdb-session.ts";

let s: DuckSession;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "sluice-sandbox-"));
  mkdirSync(path.join(dir, "files"));
  writeFileSync(path.join(dir, "files", "ok.csv"), "a,b\n1,2\n");
  s = await openSession({ allowedDirectories: [path.join(dir, "files")], spillDirectory: path.join(dir, "spill"), memoryLimit: "512MB", threads: 1 });
});
afterAll(() => s.close());

describe("DuckDB sandbox", () => {
  it("reads files in Sluice's own folders", async () => {
    expect(await s.duck.query(`SELECT * FROM read_csv('${dir}/files/ok.csv')`)).toEqual([{ a: "1", b: "2" }]);
  });

  it.each([
    ["read a system file", "SELECT * FROM read_csv('/etc/passwd')"],
    ["climb out with ..", `SELECT * FROM read_csv('${dir}/files/../../../etc/passwd')`],
    ["read text", "SELECT * FROM read_text('/etc/hostname')"],
    ["list folders", "SELECT * FROM glob('/etc/*')"],
    ["write outside", `COPY (SELECT 1) TO '${dir}/evil.csv'`],
    ["attach a database", `ATTACH '${dir}/other.db'`],
    ["install an extension", "INSTALL httpfs"],
    ["load an extension", "LOAD httpfs"],
    ["turn access back on", "SET enable_external_access = true"],
    ["unlock the configuration", "SET lock_configuration = false"],
    ["widen the allowed folders", "SET allowed_directories = ['/']"],
  ])("refuses to %s", async (_what, sql) => {
    await expect(s.duck.run(sql)).rejects.toThrow(/Permission|disabled|locked|Cannot/i);
  });
});
