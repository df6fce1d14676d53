import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSession, type DuckSession } from "./duckdb-session.ts";
import { DuckQueryError } from "./duck-error.ts";
import { tempDir } from "./connectors/testing/test-context.ts";

let s: DuckSession;
let dir: string;
let remove: () => void;
beforeAll(async () => {
  ({ dir, remove } = tempDir("sandbox"));
  mkdirSync(path.join(dir, "files"));
  mkdirSync(path.join(dir, "outputs"));
  writeFileSync(path.join(dir, "files", "ok.csv"), "a,b\n1,2\n");
  writeFileSync(path.join(dir, "secret.csv"), "x\n1\n");
  const opened = await openSession({
    allowedDirectories: [path.join(dir, "files"), path.join(dir, "outputs")],
    spillDirectory: path.join(dir, "spill"),
    memoryLimit: "512MB",
    threads: 1,
  });
  if (!opened.ok) throw new Error(opened.issues[0]?.message);
  s = opened.value;
});
afterAll(() => {
  s?.close();
  remove();
});

describe("DuckDB sandbox", () => {
  it("reads files in Sluice's own folders and writes to outputs", async () => {
    expect(await s.query(`SELECT * FROM read_csv('${dir}/files/ok.csv')`)).toEqual([{ a: "1", b: "2" }]);
    await s.run(`COPY (SELECT 42 AS answer) TO '${dir}/outputs/answer.csv'`);
    expect(readdirSync(path.join(dir, "outputs"))).toEqual(["answer.csv"]);
  });

  it.each([
    ["read a system file", "SELECT * FROM read_csv('/etc/passwd')"],
    ["read a file next to the allowed folders", `SELECT * FROM read_csv('${dir}/secret.csv')`],
    ["climb out with ..", `SELECT * FROM read_csv('${dir}/files/../secret.csv')`],
    ["read text", "SELECT * FROM read_text('/etc/hostname')"],
    ["sniff a file", "SELECT * FROM sniff_csv('/etc/passwd')"],
    ["list folders", "SELECT * FROM glob('/etc/*')"],
    ["fetch a URL", "SELECT * FROM read_csv('https://example.com/data.csv')"],
    ["write outside", `COPY (SELECT 1) TO '${dir}/evil.csv'`],
    ["export the database", `EXPORT DATABASE '${dir}/dump'`],
    ["attach a database file", `ATTACH '${dir}/other.db'`],
    ["install an extension", "INSTALL httpfs"],
    ["load an extension", "LOAD httpfs"],
    ["store a secret", "CREATE PERSISTENT SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')"],
    ["turn access back on", "SET enable_external_access = true"],
    ["unlock the configuration", "SET lock_configuration = false"],
    ["widen the allowed folders", "SET allowed_directories = ['/']"],
    ["allow a single file", "SET allowed_paths = ['/etc/passwd']"],
    ["move the spill folder", "SET temp_directory = '/tmp'"],
    ["raise the memory limit", "SET memory_limit = '1TB'"],
  ])("refuses to %s", async (_what, sql) => {
    const failure = await s.run(sql).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(DuckQueryError);
    expect((failure as DuckQueryError).code).toBe("ACCESS_DENIED");
    expect((failure as DuckQueryError).message).not.toMatch(/Permission Error|LINE 1/);
  });

  it("translates DuckDB's errors into codes and readable messages", async () => {
    await expect(s.query("SELECT CAST('abc' AS INTEGER)")).rejects.toMatchObject({
      code: "CONVERSION_FAILED",
      message: "A value could not be converted: Could not convert string 'abc' to a whole number (integer)",
    });
  });
});

describe("openSession", () => {
  it("refuses unsafe or unusable settings as data", async () => {
    const root = await openSession({ allowedDirectories: ["/"], spillDirectory: path.join(dir, "spill") });
    expect(!root.ok && root.issues[0]?.code).toBe("ENGINE_CONFIG_INVALID");
    const relative = await openSession({ allowedDirectories: ["files"], spillDirectory: path.join(dir, "spill") });
    expect(!relative.ok && relative.issues[0]?.code).toBe("ENGINE_CONFIG_INVALID");
    const relativeFile = await openSession({ allowedDirectories: [], allowedFiles: ["secret.csv"], spillDirectory: path.join(dir, "spill") });
    expect(!relativeFile.ok && relativeFile.issues[0]?.code).toBe("ENGINE_CONFIG_INVALID");
    const memory = await openSession({ allowedDirectories: [dir], spillDirectory: path.join(dir, "spill"), memoryLimit: "lots" });
    expect(!memory.ok && memory.issues[0]).toMatchObject({ code: "ENGINE_START_FAILED" });
  });

  it("opens single files without their folder, and keeps DuckDB's whole message for the engine's own readers", async () => {
    const opened = await openSession({ allowedDirectories: [], allowedFiles: [path.join(dir, "secret.csv")], spillDirectory: path.join(dir, "spill"), threads: 1 });
    if (!opened.ok) throw new Error(opened.issues[0]?.message);
    const one = opened.value;
    try {
      expect(await one.query(`SELECT * FROM read_csv('${dir}/secret.csv')`)).toEqual([{ x: "1" }]);
      await expect(one.query(`SELECT * FROM read_csv('${dir}/files/ok.csv')`)).rejects.toMatchObject({ code: "ACCESS_DENIED" });
      const ragged = await one.query(`SELECT * FROM read_csv('${dir}/secret.csv', auto_detect=false, header=false, delim=',', columns={'a': 'VARCHAR', 'b': 'VARCHAR'})`).catch((e: unknown) => e);
      expect(ragged).toBeInstanceOf(DuckQueryError);
      expect((ragged as DuckQueryError).message).not.toContain("Possible fixes");
      expect((ragged as DuckQueryError).detail).toMatch(/^CSV Error on Line: 1\nOriginal Line: x\n[\s\S]*Possible fixes/);
    } finally {
      one.close();
    }
  });

  it("spills data larger than its memory limit to a private folder, removed on close", async () => {
    const spill = path.join(dir, "spill-big");
    const opened = await openSession({ allowedDirectories: [path.join(dir, "files")], spillDirectory: spill, memoryLimit: "100MB", threads: 2 });
    if (!opened.ok) throw new Error(opened.issues[0]?.message);
    const big = opened.value;
    try {
      // About 400 MB of strings: four times the memory limit.
      await big.run("CREATE TABLE t AS SELECT i, repeat('x', 120) || i AS s FROM range(3000000) r(i)");
      await big.run("CREATE TABLE sorted AS SELECT * FROM t ORDER BY s DESC");
      expect(await big.query("SELECT count(*)::INTEGER AS n FROM sorted")).toEqual([{ n: 3000000 }]);
      expect(readdirSync(spill)).toHaveLength(1);
    } finally {
      big.close();
    }
    expect(existsSync(spill) && readdirSync(spill)).toEqual([]);
  });
});
