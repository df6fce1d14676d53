import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Column } from "@sluice/model";
import { quoteLiteral } from "@sluice/pipeline";
import { writeFileSink } from "./file-sink.ts";
import { openTestDuck } from "./testing/test-duck.ts";
import { tempDir, testSinkContext } from "./testing/test-context.ts";
import type { DuckExec } from "../connector.ts";

let duck: DuckExec;
let closeDuck: () => void;
let work: ReturnType<typeof tempDir>;
let outputs: ReturnType<typeof tempDir>;

const columns: Column[] = [
  { name: "id", type: "integer" },
  { name: 'a"b, c', type: "string" },
  { name: "ünï", type: "json" },
];
const select = `SELECT id, "a""b, c", "ünï" FROM src ORDER BY __sluice_row`;

beforeAll(async () => {
  ({ duck, close: closeDuck } = await openTestDuck());
  work = tempDir("file-sink-work");
  outputs = tempDir("file-sink-out");
  await duck.run(`CREATE TABLE src AS SELECT * FROM (VALUES
    (2, 'say "hi", ok', '{"x": [1]}'::JSON, 1), (1, '', NULL, 2), (3, NULL, '"ü"'::JSON, 3)) t(id, "a""b, c", "ünï", __sluice_row)`);
});
afterAll(() => {
  closeDuck?.();
  work?.remove();
  outputs?.remove();
});

const ctx = (signal?: AbortSignal) => testSinkContext({ duck, workDir: work.dir, select, columns, loadKey: undefined, ...(signal ? { signal } : {}) });

describe("writeFileSink", () => {
  it("writes CSV with a header in row order and reports the output", async () => {
    const r = await writeFileSink(ctx(), { name: "out", format: "csv" }, { outputDir: outputs.dir });
    const file = path.join(outputs.dir, "out.csv");
    expect(r).toEqual({ ok: true, value: { rowsWritten: 3, output: { name: "out.csv", path: "out.csv", format: "csv", bytes: readFileSync(file).length } } });
    expect(readFileSync(file, "utf8")).toBe(`id,"a""b, c",ünï\n2,"say ""hi"", ok","{""x"": [1]}"\n1,"",\n3,,"""ü"""\n`);
    expect(readdirSync(outputs.dir)).toEqual(["out.csv"]);
  });

  it("writes JSON as one array and Parquet that reads back the same", async () => {
    const json = await writeFileSink(ctx(), { name: "out", format: "json" }, { outputDir: outputs.dir });
    expect(json.ok).toBe(true);
    expect(JSON.parse(readFileSync(path.join(outputs.dir, "out.json"), "utf8"))).toEqual([
      { id: 2, 'a"b, c': 'say "hi", ok', ünï: { x: [1] } },
      { id: 1, 'a"b, c': "", ünï: null },
      { id: 3, 'a"b, c': null, ünï: "ü" },
    ]);
    const parquet = await writeFileSink(ctx(), { name: "out", format: "parquet" }, { outputDir: outputs.dir });
    expect(parquet.ok && parquet.value.rowsWritten).toBe(3);
    const back = await duck.query(`SELECT id FROM read_parquet(${quoteLiteral(path.join(outputs.dir, "out.parquet"))})`);
    expect(back.map((row) => row.id)).toEqual([2, 1, 3]);
  });

  it("replaces an earlier output atomically and leaves no temporary files on failure", async () => {
    writeFileSync(path.join(outputs.dir, "again.csv"), "old");
    expect((await writeFileSink(ctx(), { name: "again", format: "csv" }, { outputDir: outputs.dir })).ok).toBe(true);
    expect(readFileSync(path.join(outputs.dir, "again.csv"), "utf8")).toMatch(/^id,/);
    const broken = testSinkContext({ duck, workDir: work.dir, select: "SELECT * FROM missing_table", columns, loadKey: undefined });
    const r = await writeFileSink(broken, { name: "broken", format: "csv" }, { outputDir: outputs.dir });
    expect(!r.ok && r.issues[0]?.code).toBe("FILE_SINK_FAILED");
    expect(readdirSync(outputs.dir).filter((n) => n.startsWith(".") || n.startsWith("broken"))).toEqual([]);
  });

  it("refuses unsafe names and does nothing once cancelled", async () => {
    const bad = await writeFileSink(ctx(), { name: "../escape", format: "csv" }, { outputDir: outputs.dir });
    expect(!bad.ok && bad.issues[0]?.code).toBe("INVALID_CONFIG");
    const abort = new AbortController();
    abort.abort();
    const r = await writeFileSink(ctx(abort.signal), { name: "never", format: "csv" }, { outputDir: outputs.dir });
    expect(!r.ok && r.issues[0]?.code).toBe("SINK_CANCELLED");
    expect(readdirSync(outputs.dir).some((n) => n.includes("never"))).toBe(false);
  });
});
