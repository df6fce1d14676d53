import { describe, expect, it } from "vitest";
import type { DatabaseOption, EngineChoiceInfo } from "@sluice/model";
import { engineShown, engineStatus, nodeEngineNotes } from "./engine-status.ts";

const duck = (reason: string, notPushable: EngineChoiceInfo["notPushable"] = []): EngineChoiceInfo => ({ engine: "duckdb", setting: "auto", reason, notPushable, staged: [] });
const blocked: DatabaseOption = { unavailable: "1 node cannot run in the database.", notPushable: [{ nodeId: "up", reason: "title case needs Unicode letter classes" }] };

describe("where the editor says a run would go", () => {
  it("says nothing for a pipeline with no PostgreSQL source or sink left on Automatic", () => {
    expect(engineShown("auto", duck("no source or sink is a PostgreSQL table"))).toBe(false);
    expect(engineShown("duckdb", { ...duck("the pipeline is set to run on DuckDB"), setting: "duckdb" })).toBe(true);
    expect(engineShown("auto", undefined)).toBe(false);
  });

  it("set to the database and refused, says it cannot and why, with the nodes marked", () => {
    expect(engineShown("database", undefined)).toBe(true);
    expect(engineStatus("database", undefined, blocked)).toEqual({ label: "Cannot run in the database", reason: "1 node cannot run in the database.", tone: "refused", nodes: blocked.notPushable });
    expect(nodeEngineNotes("database", undefined, blocked)).toEqual(new Map([["up", "title case needs Unicode letter classes"]]));
  });

  it("on Automatic marks the nodes that keep the run on DuckDB, on DuckDB none", () => {
    const engine = duck("1 node cannot run in the database", blocked.notPushable);
    expect(engineStatus("auto", engine, blocked)).toMatchObject({ label: "Runs on DuckDB", reason: "1 node cannot run in the database.", tone: "duckdb" });
    expect([...nodeEngineNotes("auto", engine, blocked).keys()]).toEqual(["up"]);
    expect(nodeEngineNotes("duckdb", { ...engine, setting: "duckdb" }, blocked).size).toBe(0);
  });
});
