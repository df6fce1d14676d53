import { DuckDBInstance } from "@duckdb/node-api";
import type { DuckExec } from "../../connector.ts";

/** An in-memory DuckDB behind the DuckExec interface connectors get, for tests. */
export async function openTestDuck(options: { threads?: number } = {}): Promise<{ duck: DuckExec; close(): void }> {
  const instance = await DuckDBInstance.create(":memory:", options.threads ? { threads: String(options.threads) } : {});
  const conn = await instance.connect();
  const duck: DuckExec = {
    run: async (sql) => {
      await conn.run(sql);
    },
    query: async (sql) => (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[],
  };
  return {
    duck,
    close: () => {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
