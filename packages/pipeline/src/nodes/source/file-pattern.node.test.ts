import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Column } from "@sluice/model";
import type { DataFileInfo, PipelineEnvironment } from "../../catalog/node-definition.ts";
import { runNode } from "../../testing/duckdb-harness.ts";
import { fileSourceNode } from "./file.node.ts";
import { isIncrementalSource } from "../../graph/incremental-sinks.ts";

let dir = "";
const csv = { delimiter: ",", header: true, quote: '"', escape: '"', nullStrings: [""] };
const ab: Column[] = [
  { name: "id", type: "bigint" },
  { name: "name", type: "string" },
];

function file(name: string, content: string, columns: Column[]): DataFileInfo {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return { id: name, name, path: p, format: "csv", columns, options: csv, rowCount: content.trim().split("\n").length - 1 };
}

/** An environment whose pattern source reads `files` (what the server would have matched and, in a run, chosen). */
const envOf = (files: DataFileInfo[], shape = files[0]): PipelineEnvironment => ({
  file: () => undefined,
  sourceColumns: () => undefined,
  filesMatching: (nodeId) => (nodeId === "n1" ? { files, shape } : undefined),
});

let a: DataFileInfo, b: DataFileInfo, odd: DataFileInfo;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "sluice-file-pattern-"));
  a = file("a.csv", "id,name\n1,x\n2,y\n", ab);
  // Same columns in another order: CSV is read by position, so each file is read with its own order.
  b = file(`b 'q".csv`, "name,id\nz,3\n", [ab[1]!, ab[0]!]);
  odd = file("odd.csv", "id,label\n4,w\n", [ab[0]!, { name: "label", type: "string" }]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("file source with a name pattern", () => {
  it("unions the files by column name, file after file, each in file order, with the file name when asked", async () => {
    const r = await runNode(fileSourceNode, { pattern: "*.csv", sourceFileColumn: true }, {}, envOf([a, b]));
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(r.schemas.out).toEqual([...ab, { name: "_source_file", type: "string" }]);
    expect(r.rows.out).toEqual([
      { id: "1", name: "x", _source_file: "a.csv" },
      { id: "2", name: "y", _source_file: "a.csv" },
      { id: "3", name: "z", _source_file: `b 'q".csv` },
    ]);
  });

  it("names the file whose columns differ", async () => {
    const r = await runNode(fileSourceNode, { pattern: "*.csv" }, {}, envOf([a, odd]));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]).toMatchObject({ code: "FILE_PATTERN_COLUMNS_DIFFER", field: "pattern" });
    expect(r.issues[0]!.message).toContain('File "odd.csv" has the columns id bigint, label string');
  });

  it("reads no rows, with the columns of the first matching file, when a run has no new file", async () => {
    const r = await runNode(fileSourceNode, { pattern: "*.csv", onlyNew: true }, {}, envOf([], a));
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(r.schemas.out).toEqual(ab);
    expect(r.rows.out).toEqual([]);
  });

  it("refuses a pattern no file matches, and a pattern where uploads are not known", async () => {
    const none = await runNode(fileSourceNode, { pattern: "nothing-*.csv" }, {}, envOf([], undefined));
    expect(!none.ok && none.issues[0]?.code).toBe("FILE_PATTERN_NO_MATCH");
    const local = await runNode(fileSourceNode, { pattern: "*.csv" }, {}, { file: () => undefined, sourceColumns: () => undefined });
    expect(!local.ok && local.issues[0]?.code).toBe("FILE_PATTERN_NEEDS_SERVER");
  });

  it("is incremental only with a pattern and onlyNew", () => {
    expect(isIncrementalSource("file", { pattern: "*.csv", onlyNew: true })).toBe(true);
    expect(isIncrementalSource("file", { pattern: "", onlyNew: true })).toBe(false);
    expect(isIncrementalSource("file", { pattern: "*.csv", onlyNew: false })).toBe(false);
  });
});
