import { duckdbDialect } from "../../sql/duckdb-dialect.ts";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Column } from "@sluice/model";
import type { DataFileInfo, PipelineEnvironment } from "../../catalog/node-definition.ts";
import { quoteLiteral } from "../../sql/quote.ts";
import { HOSTILE_NAMES, runNode } from "../../testing/duckdb-harness.ts";
import { fileSourceNode } from "./file.node.ts";

let dir = "";
const files = new Map<string, DataFileInfo>();
const env: PipelineEnvironment = { file: (id) => files.get(id), sourceColumns: () => undefined };

function addFile(id: string, name: string, content: string | undefined, info: Omit<DataFileInfo, "id" | "name" | "path">) {
  const p = path.join(dir, name);
  if (content !== undefined) writeFileSync(p, content);
  files.set(id, { id, name, path: p, ...info });
  return p;
}

const csvQuote = (s: string) => `"${s.replaceAll('"', '""')}"`;
const hostileColumns: Column[] = [
  { name: "id", type: "bigint" },
  ...HOSTILE_NAMES.map((name) => ({ name, type: "string" as const })),
  { name: "amount", type: "double" },
];
const BIG = 12_345;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "sluice-file-source-"));
  const header = ["id", ...HOSTILE_NAMES, "amount"].map(csvQuote).join(",");
  addFile("hostile", "hostile 'quoted'.csv", `${header}\n1,a,"say ""hi""",x,"multi\nline",ünï,'q',1.5\n2,,,,,,,\n3,"a,b",c,d,e,f,g,-2e10\n`, {
    format: "csv",
    columns: hostileColumns,
    options: { delimiter: ",", header: true, quote: '"', escape: '"', nullStrings: [""] },
  });
  addFile("semi", "semi.csv", "Name;Born;Score\nAda;10/12/1815;NA\nGrace;09/12/1906;7\n", {
    format: "csv",
    columns: [
      { name: "Name", type: "string" },
      { name: "Born", type: "date" },
      { name: "Score", type: "bigint" },
    ],
    options: { delimiter: ";", header: true, quote: "", escape: "", nullStrings: ["", "NA"], dateFormat: "%d/%m/%Y" },
  });
  addFile("big", "big.csv", `n,label\n${Array.from({ length: BIG }, (_, i) => `${BIG - i},row ${i}`).join("\n")}\n`, {
    format: "csv",
    columns: [
      { name: "n", type: "bigint" },
      { name: "label", type: "string" },
    ],
    options: { delimiter: ",", header: true, quote: '"', escape: '"', nullStrings: [""] },
  });
  addFile("tsv", "t.tsv", "a\tb\n1\tx y\n", { format: "tsv", columns: [{ name: "a", type: "bigint" }, { name: "b", type: "string" }] });
  addFile("json", "a.json", JSON.stringify([{ id: 1, "a\"b": "ü", nested: { x: [1, 2] } }, { id: 2, "a\"b": null }, { id: 3, nested: null, extra: true }]), {
    format: "json",
    columns: [
      { name: "id", type: "bigint" },
      { name: 'a"b', type: "string" },
      { name: "nested", type: "json" },
    ],
  });
  addFile("ndjson", "a.ndjson", '{"t":"2024-01-01 08:00:00+02:00","v":1.25}\n{"t":"2024-01-02T00:00:00Z","v":null}\n', {
    format: "ndjson",
    columns: [
      { name: "t", type: "timestamp" },
      { name: "v", type: "double" },
    ],
    options: { offsetTimestamps: ["t"] },
  });
  addFile("tz", "tz.csv", "t\n2024-01-01 08:00:00+02\n2024-01-01 08:00:00Z\n", {
    format: "csv",
    columns: [{ name: "t", type: "timestamp" }],
    options: { delimiter: ",", header: true, quote: '"', escape: '"', offsetTimestamps: ["t"] },
  });
  const parquet = addFile("parquet", "p.parquet", undefined, {
    format: "parquet",
    columns: [
      { name: "select", type: "integer" },
      { name: "price", type: "decimal", precision: 10, scale: 2 },
      { name: "tags", type: "json" },
      { name: "at", type: "timestamp" },
    ],
    options: { offsetTimestamps: ["at"] },
  });
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  await conn.run(
    `COPY (SELECT i::INTEGER AS "select", (i / 4)::DECIMAL(10,2) AS price, [i, i + 1] AS tags, TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i) AS at
      FROM range(${BIG}) t(i)) TO ${quoteLiteral(parquet)} (FORMAT parquet, ROW_GROUP_SIZE 1000)`,
  );
  conn.closeSync();
  instance.closeSync();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("file source", () => {
  it("reads a CSV with hostile column names, quotes, newlines, unicode and empty values", async () => {
    const r = await runNode(fileSourceNode, { fileId: "hostile" }, {}, env);
    expect(r.ok && r.schemas.out).toEqual(hostileColumns);
    expect(r.ok && r.actualTypes.out).toEqual(hostileColumns);
    const rows = r.ok ? r.rows.out! : [];
    expect(rows[0]).toEqual({ id: "1", select: "a", 'a"b': 'say "hi"', "x; drop table y": "x", "with space": "multi\nline", "ünï cödé": "ünï", "'quoted'": "'q'", amount: 1.5 });
    expect(rows[1]).toEqual({ id: "2", select: null, 'a"b': null, "x; drop table y": null, "with space": null, "ünï cödé": null, "'quoted'": null, amount: null });
    expect(rows[2]?.select).toBe("a,b");
    expect(rows[2]?.amount).toBe(-2e10);
  });

  it("uses the detected delimiter, null strings and date format", async () => {
    const r = await runNode(fileSourceNode, { fileId: "semi" }, {}, env);
    expect(r.ok && r.rows.out).toEqual([
      { Name: "Ada", Born: "1815-12-10", Score: null },
      { Name: "Grace", Born: "1906-12-09", Score: "7" },
    ]);
  });

  it("lets runs number rows by position, unless a column named rowid would hide it", () => {
    const compile = (fileId: string) => fileSourceNode.compile({ nodeId: "n1", inputs: {}, env, dialect: duckdbDialect, relations: {}, outputs: {} }, fileSourceNode.configSchema.parse({ fileId }));
    const plain = compile("big");
    expect(plain.kind === "query" && plain.unnumbered?.out).toMatch(/^SELECT "n", "label" FROM read_csv/);
    addFile("rowid", "rowid.csv", "RowId,x\n7,a\n", { format: "csv", columns: [{ name: "RowId", type: "bigint" }, { name: "x", type: "string" }], options: { header: true, delimiter: "," } });
    const shadowed = compile("rowid");
    expect(shadowed.kind === "query" && shadowed.unnumbered).toBeUndefined();
  });

  it("keeps file order over 10k+ rows", async () => {
    const r = await runNode(fileSourceNode, { fileId: "big" }, {}, env);
    const rows = r.ok ? r.rows.out! : [];
    expect(rows).toHaveLength(BIG);
    expect(rows.every((row, i) => row.n === String(BIG - i) && row.label === `row ${i}`)).toBe(true);
  });

  it("reads every column as text when asked, exactly as written", async () => {
    const r = await runNode(fileSourceNode, { fileId: "semi", types: "text" }, {}, env);
    expect(r.ok && r.schemas.out?.map((c) => c.type)).toEqual(["string", "string", "string"]);
    expect(r.ok && r.rows.out?.[0]).toEqual({ Name: "Ada", Born: "10/12/1815", Score: null });
  });

  it("applies CSV overrides: null strings and a header row read as data", async () => {
    const noNa = await runNode(fileSourceNode, { fileId: "semi", types: "text", csv: { nullStrings: ["Ada"] } }, {}, env);
    expect(noNa.ok && noNa.rows.out?.[0]).toEqual({ Name: null, Born: "10/12/1815", Score: "NA" });
    const noHeader = await runNode(fileSourceNode, { fileId: "semi", types: "text", csv: { header: false } }, {}, env);
    expect(noHeader.ok && noHeader.rows.out?.[0]).toEqual({ Name: "Name", Born: "Born", Score: "Score" });
    const badDelimiter = await runNode(fileSourceNode, { fileId: "semi", csv: { delimiter: "," } }, {}, env);
    expect(badDelimiter.ok).toBe(false);
    expect(!badDelimiter.ok && badDelimiter.message).toMatch(/Line/i);
  });

  it("reads TSV with DuckDB's defaults when nothing was stored", async () => {
    const r = await runNode(fileSourceNode, { fileId: "tsv" }, {}, env);
    expect(r.ok && r.rows.out).toEqual([{ a: "1", b: "x y" }]);
  });

  it("reads a JSON array; missing keys are null and nested values stay JSON", async () => {
    const r = await runNode(fileSourceNode, { fileId: "json" }, {}, env);
    expect(r.ok && r.rows.out).toEqual([
      { id: "1", 'a"b': "ü", nested: '{"x":[1,2]}' },
      { id: "2", 'a"b': null, nested: null },
      { id: "3", 'a"b': null, nested: null },
    ]);
    const text = await runNode(fileSourceNode, { fileId: "json", types: "text" }, {}, env);
    expect(text.ok && text.rows.out?.[0]).toEqual({ id: "1", 'a"b': "ü", nested: '{"x":[1,2]}' });
  });

  it("reads NDJSON and converts timestamps with offsets to UTC", async () => {
    const r = await runNode(fileSourceNode, { fileId: "ndjson" }, {}, env);
    expect(r.ok && r.rows.out).toEqual([
      { t: "2024-01-01 06:00:00", v: 1.25 },
      { t: "2024-01-02 00:00:00", v: null },
    ]);
    const csv = await runNode(fileSourceNode, { fileId: "tz" }, {}, env);
    expect(csv.ok && csv.rows.out).toEqual([{ t: "2024-01-01 06:00:00" }, { t: "2024-01-01 08:00:00" }]);
  });

  it("reads Parquet in file order with the stored types", async () => {
    const r = await runNode(fileSourceNode, { fileId: "parquet" }, {}, env);
    const rows = r.ok ? r.rows.out! : [];
    // DuckDB reports its JSON type by its storage type, VARCHAR.
    const reported = files.get("parquet")!.columns.map((c) => (c.type === "json" ? { ...c, type: "string" } : c));
    expect(r.ok && r.actualTypes.out).toEqual(reported);
    expect(rows).toHaveLength(BIG);
    expect(rows.every((row, i) => row.select === i)).toBe(true);
    expect(rows[5]).toEqual({ select: 5, price: "1.25", tags: "[5,6]", at: "2024-01-01 00:00:05" });
    const text = await runNode(fileSourceNode, { fileId: "parquet", types: "text" }, {}, env);
    expect(text.ok && text.rows.out?.[5]).toEqual({ select: "5", price: "1.25", tags: "[5,6]", at: "2024-01-01 00:00:05" });
  });

  it("reports a missing or unchosen file on the fileId field", async () => {
    const missing = await runNode(fileSourceNode, { fileId: "nope" }, {}, env);
    expect(!missing.ok && missing.issues).toEqual([expect.objectContaining({ code: "FILE_NOT_FOUND", field: "fileId", nodeId: "n1" })]);
    expect(!missing.ok && missing.issues[0]?.message).toContain("nope");
    const none = await runNode(fileSourceNode, fileSourceNode.defaultConfig, {}, env);
    expect(!none.ok && none.issues.map((i) => i.code)).toEqual(["FILE_NOT_SELECTED"]);
  });

  it("refuses a file the server marked unreadable, with its code and message, before compiling a read of it", async () => {
    const unreadable = { code: "FILE_TOO_DEEPLY_NESTED", message: 'Line 1 of "deep.json" nests objects and arrays more than 64 levels deep.' };
    addFile("deep", "deep.json", undefined, { format: "json", columns: [{ name: "a", type: "json" }], unreadable });
    const r = await runNode(fileSourceNode, { fileId: "deep" }, {}, env);
    expect(!r.ok && r.issues).toEqual([expect.objectContaining({ ...unreadable, field: "fileId", nodeId: "n1" })]);
  });

  it("rejects invalid CSV overrides", async () => {
    const r = await runNode(fileSourceNode, { fileId: "semi", csv: { nullStrings: [] } }, {}, env);
    expect(!r.ok && r.stage).toBe("config");
  });
});
