import { symlinkSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { duckdbDialect, getNodeDefinition, quoteLiteral, type DataFileInfo } from "@sluice/pipeline";
import { inspectFile } from "./file-inspector.ts";
import { MAX_NESTING } from "./nesting-limit.ts";
import { deepJson, deepParquet } from "./testing/deep-files.ts";
import { tempDir } from "./testing/test-context.ts";
import { openTestDuck } from "./testing/test-duck.ts";
import { createNumbered } from "../step-runner.ts";

const tmp = tempDir("inspect");
afterAll(() => tmp.remove());
const file = tmp.file;
const inspect = (name: string, content: Buffer | string) => inspectFile(file(name, content), { name });

/** Reads an inspected file through the real file source node, as a run would. */
/** The file source's rows as a preview reads them (numbered while read) or, with `stored`, as a run stores them (numbered by position). */
async function readThroughNode(p: string, inspected: Awaited<ReturnType<typeof inspectFile>>, threads = 8, stored = false) {
  if (!inspected.ok) throw new Error(JSON.stringify(inspected.issues));
  const info: DataFileInfo = { id: "f", name: "f", path: p, ...inspected.value };
  const node = getNodeDefinition("file")!;
  const env = { file: () => info, sourceColumns: () => undefined };
  const config = node.configSchema.parse({ fileId: "f" });
  const step = node.compile({ nodeId: "n1", inputs: {}, env, relations: {}, outputs: {}, dialect: duckdbDialect }, config);
  if (step.kind !== "query") throw new Error("expected a query");
  const { duck, close } = await openTestDuck({ threads });
  try {
    if (!stored) return await duck.query(`SELECT * FROM (${step.outputs.out}) ORDER BY __sluice_row`);
    await createNumbered(duck, '"stored"', step.unnumbered!.out!);
    return await duck.query(`SELECT * FROM "stored" ORDER BY __sluice_row`);
  } finally {
    close();
  }
}

describe("inspectFile: CSV", () => {
  it("detects delimiter, quotes, header, date formats and DuckDB's own column names", async () => {
    const p = file("people.csv", '"Name"; Name ;"a""b";;"ünï";day\n"Ada; L";x;1;2;é;10/12/1815\n"Grace";;2;3;;09/12/1906\n');
    const r = await inspectFile(p, { name: "people.csv" });
    expect(r).toEqual({
      ok: true,
      value: {
        format: "csv",
        columns: [
          { name: "Name", type: "string" },
          { name: "Name_1", type: "string" },
          { name: 'a"b', type: "bigint" },
          { name: "column3", type: "bigint" },
          { name: "ünï", type: "string" },
          { name: "day", type: "date" },
        ],
        options: { delimiter: ";", header: true, quote: '"', escape: '"', nullStrings: [""], dateFormat: "%d/%m/%Y" },
        rowCount: 2,
        renamedColumns: [
          { position: 2, original: " Name ", name: "Name_1", reason: "duplicate" },
          { position: 4, original: "", name: "column3", reason: "blank" },
        ],
      },
    });
    expect(await readThroughNode(p, r)).toEqual([
      { Name: "Ada; L", Name_1: "x", 'a"b': "1", column3: "2", ünï: "é", day: "1815-12-10", __sluice_row: "1" },
      { Name: "Grace", Name_1: null, 'a"b': "2", column3: "3", ünï: null, day: "1906-12-09", __sluice_row: "2" },
    ]);
  });

  it("reports each header it could not keep as a name: blank, or a clash by case or exactly", async () => {
    const r = await inspect("clash.csv", 'id,Amount,amount,,"",name,name,"x,y"\n1,2,3,4,5,a,b,c\n');
    expect(r.ok && r.value.renamedColumns).toEqual([
      { position: 3, original: "amount", name: "amount_1", reason: "duplicate" },
      { position: 4, original: "", name: "column3", reason: "blank" },
      { position: 5, original: "", name: "column4", reason: "blank" },
      { position: 7, original: "name", name: "name_1", reason: "duplicate" },
    ]);
    const plain = await inspect("plain.tsv", "a\tb\n1\t2\n");
    expect(plain.ok && plain.value.renamedColumns).toEqual([]);
    const noHeader = await inspect("numbers.csv", "1,2\n3,4\n");
    expect(noHeader.ok && noHeader.value.renamedColumns).toEqual([]);
  });

  it("detects TSV by content, keeps timestamps with offsets as UTC, and counts a header-only file", async () => {
    const tsv = await inspect("data.txt", "a\tat\n1\t2024-01-01 08:00:00+02\n");
    expect(tsv.ok && tsv.value.format).toBe("tsv");
    expect(tsv.ok && tsv.value.options.offsetTimestamps).toEqual(["at"]);
    expect(await readThroughNode(path.join(tmp.dir, "data.txt"), tsv)).toEqual([{ a: "1", at: "2024-01-01 06:00:00", __sluice_row: "1" }]);
    const headerOnly = await inspect("header.csv", "only,header\n");
    expect(headerOnly.ok && headerOnly.value).toMatchObject({ rowCount: 0, columns: [{ name: "only", type: "string" }, { name: "header", type: "string" }] });
  });

  it("skips a title line before the header", async () => {
    const p = file("titled.csv", "Sales report 2024\nx,y\n1,2\n");
    const r = await inspectFile(p, { name: "titled.csv" });
    expect(r.ok && r.value.options.skip).toBe(1);
    expect(await readThroughNode(p, r)).toEqual([{ x: "1", y: "2", __sluice_row: "1" }]);
  });

  it("widens a type when a value past the sniffer's sample does not fit", async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `${i},${i}`).join("\n");
    const r = await inspect("late.csv", `id,v\n${rows}\n30000,abc\n`);
    expect(r.ok && r.value.columns).toEqual([{ name: "id", type: "bigint" }, { name: "v", type: "string" }]);
    expect(r.ok && r.value.rowCount).toBe(30_001);
  });

  it("keeps file order through the file source over 200k rows on 8 threads, numbered as read or as stored", async () => {
    const n = 200_000;
    const p = file("order.csv", `n,s\n${Array.from({ length: n }, (_, i) => `${n - i},"r${i}"`).join("\n")}\n`);
    const r = await inspectFile(p, { name: "order.csv" });
    for (const stored of [false, true]) {
      const rows = await readThroughNode(p, r, 8, stored);
      expect(rows).toHaveLength(n);
      expect(rows.every((row, i) => row.n === String(n - i) && row.s === `r${i}` && row.__sluice_row === String(i + 1))).toBe(true);
    }
  });

  it("reads a file given through a link or a relative path: DuckDB is opened to the real file alone", async () => {
    const real = file("linked.csv", "a,b\n1,2\n");
    const link = path.join(tmp.dir, "link.csv");
    symlinkSync(real, link);
    expect(await inspectFile(link, { name: "link.csv" })).toMatchObject({ ok: true, value: { rowCount: 1 } });
    expect(await inspectFile(path.relative(process.cwd(), real), { name: "linked.csv" })).toMatchObject({ ok: true, value: { rowCount: 1 } });
  });

  it("reports empty, blank, non-UTF-8 and UTF-16 files", async () => {
    expect(await inspect("empty.csv", "")).toMatchObject({ ok: false, issues: [{ code: "FILE_EMPTY" }] });
    expect(await inspect("blank.csv", "\n \r\n")).toMatchObject({ ok: false, issues: [{ code: "FILE_EMPTY" }] });
    const latin = await inspect("latin.csv", Buffer.from("name,city\nx,Zürich\ny,Bogotá\n", "latin1"));
    expect(latin).toMatchObject({ ok: false, issues: [{ code: "FILE_ENCODING" }] });
    expect(!latin.ok && latin.issues[0]?.message).toMatch(/^Line 2 of "latin\.csv" is not valid UTF-8 \(byte 0xFC\)/);
    expect(await inspect("utf16.csv", Buffer.from("\ufeffa,b\n1,2\n", "utf16le"))).toMatchObject({ ok: false, issues: [{ code: "FILE_ENCODING" }] });
  });

  it("names the line of a ragged row, early or late, and of an unterminated quote", async () => {
    const early = await inspect("ragged.csv", "a,b,c\n1,2,3\n4,5\n6,7,8\n");
    expect(early).toMatchObject({ ok: false, issues: [{ code: "FILE_MALFORMED" }] });
    expect(!early.ok && early.issues[0]?.message).toBe('Line 3 of "ragged.csv": it has 2 fields where the header has 3 (the line reads: 4,5)');
    const late = await inspect("ragged-late.csv", `a,b\n${"1,2\n".repeat(30_000)}1,2,3\n`);
    expect(!late.ok && late.issues[0]?.message).toMatch(/^Line 30002 of "ragged-late.csv": it has 3 fields where the header has 2/);
    const quote = await inspect("quote.csv", `a,b\n"q,1",2\n"3",4\n5,"open\n6,7\n`);
    expect(quote).toMatchObject({ ok: false, issues: [{ code: "FILE_MALFORMED" }] });
    expect(!quote.ok && quote.issues[0]?.message).toBe('Line 4 of "quote.csv": Value with unterminated quote found. (the line reads: 5,"open)');
  });
});

describe("inspectFile: JSON and Parquet", () => {
  it("reads a JSON array, NDJSON and a single pretty-printed object", async () => {
    const arr = await inspect("a.json", JSON.stringify([{ id: 1, "we ird": "x", nested: { a: [1] } }, { id: 2, when: "2024-01-02" }]));
    expect(arr).toEqual({
      ok: true,
      value: {
        format: "json",
        columns: [
          { name: "id", type: "bigint" },
          { name: "we ird", type: "string" },
          { name: "nested", type: "json" },
          { name: "when", type: "date" },
        ],
        options: {},
        rowCount: 2,
        renamedColumns: [],
      },
    });
    const nd = await inspect("b.json", '{"a":1}\n{"a":2,"b":true}\n');
    expect(nd.ok && nd.value).toMatchObject({ format: "ndjson", rowCount: 2, columns: [{ name: "a", type: "bigint" }, { name: "b", type: "boolean" }] });
    const one = await inspect("c.json", '{\n  "a": 1,\n  "b": {"c": [1, 2]}\n}\n');
    expect(one.ok && one.value).toMatchObject({ format: "json", rowCount: 1, columns: [{ name: "a", type: "bigint" }, { name: "b", type: "json" }] });
    expect(await readThroughNode(path.join(tmp.dir, "c.json"), one)).toEqual([{ a: "1", b: '{"c":[1,2]}', __sluice_row: "1" }]);
  });

  it("reports malformed JSON with its line and without the server's path", async () => {
    const r = await inspect("bad.ndjson", '{"a":1}\n{"a":\n');
    expect(r).toMatchObject({ ok: false, issues: [{ code: "FILE_MALFORMED" }] });
    expect(!r.ok && r.issues[0]?.message).toMatch(/^"bad.ndjson" could not be read: Malformed JSON .* in line 3/);
    expect(!r.ok && r.issues[0]?.message).not.toContain(tmp.dir);
  });

  it("reads Parquet's schema and row count, by content even without the extension", async () => {
    const { duck, close } = await openTestDuck();
    const p = path.join(tmp.dir, "upload-without-extension");
    try {
      await duck.run(
        `COPY (SELECT i AS id, 'x' || i AS "s p", TIMESTAMPTZ '2024-01-01 00:00:00+00' AS at, {'k': i} AS st FROM range(5) t(i)) TO ${quoteLiteral(p)} (FORMAT parquet)`,
      );
    } finally {
      close();
    }
    const r = await inspectFile(p, { name: "data" });
    expect(r).toEqual({
      ok: true,
      value: {
        format: "parquet",
        columns: [
          { name: "id", type: "bigint" },
          { name: "s p", type: "string" },
          { name: "at", type: "timestamp" },
          { name: "st", type: "json" },
        ],
        options: { offsetTimestamps: ["at"] },
        rowCount: 5,
        renamedColumns: [],
      },
    });
    const broken = await inspect("broken.parquet", "PAR1 this is not parquet");
    expect(broken).toMatchObject({ ok: false, issues: [{ code: "FILE_MALFORMED" }] });
  });
});

// DuckDB runs in this test's process: were the limit not checked first, these files would crash it.
describe("inspectFile: nesting limit", () => {
  const tooDeep = { ok: false, issues: [{ code: "FILE_TOO_DEEPLY_NESTED", field: "file" }] };

  it("refuses JSON nested past the limit before DuckDB sees it, under every name it is read as JSON by", async () => {
    const payloads = {
      report: deepJson(20_000),
      "report at 10,000": deepJson(10_000),
      arrays: "[".repeat(MAX_NESTING + 1) + "]".repeat(MAX_NESTING + 1),
      mixed: '[{"a":[{"b":'.repeat(20) + "1" + "}]}]".repeat(20),
      ndjson: `{"a":"[[[[{{{{\\"[["}\n{"b":1}\n${deepJson(MAX_NESTING + 1).slice(1, -1)}\n`,
    };
    for (const [what, content] of Object.entries(payloads)) {
      for (const name of ["deep.json", "deep.ndjson", "deep.jsonl", "deep.txt", "deep"]) {
        const r = await inspect(name, content);
        expect(r, `${what} as ${name}`).toMatchObject(tooDeep);
        expect(!r.ok && r.issues[0]?.message).toMatch(new RegExp(`^Line \\d+ of "${name}" nests objects and arrays more than ${MAX_NESTING} levels deep`));
      }
    }
  });

  it("reads JSON nested right up to the limit (64 levels here), brackets in strings not counted", async () => {
    const content = JSON.stringify([{ note: "[[[{{{\\\"", deep: JSON.parse(deepJson(MAX_NESTING - 3)) }]);
    const r = await inspect("limit.json", content);
    expect(r.ok && r.value).toMatchObject({ format: "json", rowCount: 1 });
    const rows = await readThroughNode(path.join(tmp.dir, "limit.json"), r);
    expect(JSON.parse(String(rows[0]?.deep))).toEqual(JSON.parse(deepJson(MAX_NESTING - 3)));
  });

  it("refuses Parquet whose types nest past the limit, and reads one at the limit", async () => {
    expect(await inspect("deep.parquet", deepParquet(1000))).toMatchObject(tooDeep);
    expect(await inspect("crash.parquet", deepParquet(100_000))).toMatchObject(tooDeep); // DuckDB would overflow its stack
    const over = await inspect("over.parquet", deepParquet(MAX_NESTING + 1));
    expect(!over.ok && over.issues[0]?.message).toMatch(/^Column "a" of "over.parquet" nests structs, lists or maps more than 64 levels deep/);
    const atLimit = await inspect("limit.parquet", deepParquet(MAX_NESTING));
    expect(atLimit.ok && atLimit.value).toMatchObject({ format: "parquet", rowCount: 0, columns: [{ name: "a", type: "json" }] });
    expect(await readThroughNode(path.join(tmp.dir, "limit.parquet"), atLimit)).toEqual([]);
  });
});
