import { describe, expect, it } from "vitest";
import { runEngineLabel } from "./ran-in.ts";

describe("where a run executed, in words", () => {
  it("names the connection a run in the database ran inside, or says it is gone", () => {
    expect(runEngineLabel({ engine: "database", connection: { id: "c", name: "Warehouse" }, reason: "r" })).toBe("In the database: Warehouse");
    expect(runEngineLabel({ engine: "database", connection: null, reason: "r" })).toBe("In the database: a connection since deleted");
    expect(runEngineLabel({ engine: "duckdb", connection: null, reason: "r" })).toBe("DuckDB in the worker");
    expect(runEngineLabel(null)).toBe("–");
  });
});
