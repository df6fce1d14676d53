import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { fingerprint, parquetDifferences, rowDifferences } from "./compare.ts";
import { withClient } from "./targets.ts";

describe("the bench's output comparison", () => {
  let db: TestDatabase;
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-compare-"));
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    await withClient(db.url, async (c) => {
      await c.query("CREATE TABLE a (id bigint, amount numeric(18,2)); INSERT INTO a VALUES (1, 1.50), (2, 2.00), (2, 2.00)");
      await c.query("CREATE TABLE same (id bigint, amount numeric(18,2)); INSERT INTO same VALUES (2, 2.00), (1, 1.50), (2, 2.00)");
      await c.query("CREATE TABLE once (id bigint, amount numeric(18,2)); INSERT INTO once VALUES (1, 1.50), (2, 2.00)");
      await c.query("CREATE TABLE cent (id bigint, amount numeric(18,2)); INSERT INTO cent VALUES (1, 1.51), (2, 2.00), (2, 2.00)");
      await c.query("CREATE TABLE float (id bigint, amount double precision); INSERT INTO float VALUES (1, 1.5), (2, 2), (2, 2)");
    });
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("finds two tables with the same rows in another order equal, and any other difference", async () => {
    await withClient(db.url, async (c) => {
      expect(await fingerprint(c, "public.same")).toBe(await fingerprint(c, "public.a"));
      for (const other of ["once", "cent", "float"]) expect(await fingerprint(c, `public.${other}`)).not.toBe(await fingerprint(c, "public.a"));
      expect(await rowDifferences(c, "public.a", "public.once")).toEqual({ onlyA: ["(2,2.00)"], onlyB: [] });
      expect(await rowDifferences(c, "public.a", "public.cent")).toEqual({ onlyA: ["(1,1.50)"], onlyB: ["(1,1.51)"] });
    });
  });

  it("compares Parquet files row for row, in order", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const duck = await instance.connect();
    const file = (name: string, values: string) => {
      const p = path.join(dir, `${name}.parquet`);
      return duck.run(`COPY (SELECT * FROM (VALUES ${values}) t(id, amount)) TO '${p}' (FORMAT parquet)`).then(() => p);
    };
    try {
      const a = await file("a", "(1, 1.50::DECIMAL(18,2)), (2, 2.00::DECIMAL(18,2))");
      const same = await file("same", "(1, 1.50::DECIMAL(18,2)), (2, 2.00::DECIMAL(18,2))");
      const swapped = await file("swapped", "(2, 2.00::DECIMAL(18,2)), (1, 1.50::DECIMAL(18,2))");
      const doubles = await file("doubles", "(1, 1.5::DOUBLE), (2, 2.0::DOUBLE)");
      expect(await parquetDifferences(a, same, dir)).toEqual([]);
      expect((await parquetDifferences(a, swapped, dir)).length).toBeGreaterThan(0);
      expect((await parquetDifferences(a, doubles, dir))[0]).toMatch(/columns differ/);
    } finally {
      duck.closeSync();
      instance.closeSync();
    }
  });
});
