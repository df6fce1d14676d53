import { readFileSync, symlinkSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { duckdbDialect, getNodeDefinition, MAX_COLUMNS, quoteLiteral, type DataFileInfo } from "@sluice/pipeline";
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
    // Read, NUL and all: PostgreSQL sinks then refused the row; UTF-16 without a byte order mark made columns of "a\0".
    for (const [name, content, line] of [
      ["nul.csv", "a,b\n1,x\u0000y\n", 2],
      ["utf16-no-bom.csv", Buffer.from("a,b\n1,2\n", "utf16le"), 1],
      ["nul.json", '[{"a":"x\u0000"}]', 1],
    ] as const) {
      expect(await inspect(name, content), name).toMatchObject({
        ok: false,
        issues: [{ code: "FILE_ENCODING", field: "file", message: `Line ${line} of "${name}" holds a NUL byte (0x00), which text never does: the file is probably UTF-16 without a byte order mark, or not text at all. Save it as UTF-8 text and upload it again.` }],
      });
    }
    // DuckDB's JSON reader refuses a byte order mark, with "Failed to cast value to numerical: [{"a":1}]" or worse.
    for (const name of ["bom.json", "bom.ndjson"]) {
      expect(await inspect(name, '\ufeff{"a":1}\n{"a":2}\n'), name).toMatchObject({
        ok: false,
        issues: [{ code: "FILE_ENCODING", field: "file", message: `"${name}" starts with a byte order mark, which Sluice's JSON reader does not take. Save it as UTF-8 without a byte order mark and try again.` }],
      });
    }
    expect(await inspect("bom.csv", "\ufeffa,b\n1,2\n")).toMatchObject({ ok: true, value: { columns: [{ name: "a" }, { name: "b" }] } });
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

describe("inspectFile: rows of another length than the header", () => {
  it("names the line where rows get longer than the header, instead of dropping the header as a title", async () => {
    // The sniffer took the header for a title line, skipped it and named the columns column0…: names and a line gone.
    for (const [name, content, line, reads] of [
      ["longer.csv", "a,b\n1,2,3\n4,5,6\n", 2, "1,2,3"],
      ["longer-semi.csv", "a;b\n1;2;3\n", 2, "1;2;3"],
      ["longer-later.csv", "a,b\n1,2\n3,4,5\n", 3, "3,4,5"],
    ] as const) {
      const r = await inspect(name, content);
      expect(r, name).toMatchObject({ ok: false, issues: [{ code: "FILE_MALFORMED", field: "file" }] });
      expect(!r.ok && r.issues[0]?.message, name).toMatch(new RegExp(`^Line ${line} of "${name}": it has 3 fields where the header has 2 \\(the line reads: ${reads}\\)$`));
    }
  });

  it("names the line when the sniffer finds no layout at all, not one of DuckDB's suggested fixes", async () => {
    // A short row within the sniffer's sample made it give up; the message was its last bullet, "* Be sure that the maximum line size…".
    const fewer = await inspect("fewer.csv", `a,b,c\n${"1,2,3\n".repeat(5000)}1,2\n`);
    expect(!fewer.ok && fewer.issues[0]).toMatchObject({ code: "FILE_MALFORMED", message: 'Line 5002 of "fewer.csv": it has 2 fields where the header has 3 (the line reads: 1,2)' });
    const more = await inspect("more.csv", `a,b,c\n${"1,2,3\n".repeat(5000)}1,2,3,4\n`);
    expect(!more.ok && more.issues[0]).toMatchObject({ code: "FILE_MALFORMED", message: 'Line 5002 of "more.csv": it has 4 fields where the header has 3 (the line reads: 1,2,3,4)' });
  });

  it("says how long a line too long is, and what usually makes one, not DuckDB's option to raise", async () => {
    // The line number is DuckDB's, which counts this one as line 1.
    const r = await inspect("long.csv", `a,b\n1,${"x".repeat(2_100_000)}\n`);
    expect(!r.ok && r.issues[0]?.message).toMatch(
      /^Line \d of "long.csv": it is 2,100,00\d bytes long, and a line may have at most 2,000,000\. A quote opened and never closed makes one long line of the rest of the file; otherwise split the longest values \(the line reads: 1,x{115}\.\.\.\)$/,
    );
  });

  it("still skips a title line without the delimiter, and reads a sep= line as the delimiter", async () => {
    expect(await inspect("title.csv", "Sales report 2024\nx,y,z\n1,2,3\n")).toMatchObject({ ok: true, value: { rowCount: 1, options: { skip: 1 } } });
    // Excel writes `sep=;` first to name the delimiter; it was read as the header ("sep=", "column1") and the header as a row.
    expect(await inspect("sep.csv", "sep=,\nx,y\n1,2\n")).toMatchObject({ ok: true, value: { rowCount: 1, columns: [{ name: "x" }, { name: "y" }] } });
    const p = file("sep-semi.csv", "sep=;\r\nx;y;z\r\n1,5;2;3\r\n");
    const semi = await inspectFile(p, { name: "sep-semi.csv" });
    expect(semi).toMatchObject({ ok: true, value: { rowCount: 1, options: { delimiter: ";", skip: 1 } } });
    expect(await readThroughNode(p, semi)).toEqual([{ x: "1,5", y: "2", z: "3", __sluice_row: "1" }]);
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
    // One array per line was refused as "Malformed JSON … unexpected character".
    const arrays = await inspect("arrays.ndjson", "[1,2]\n[3,4]\n");
    expect(arrays.ok && arrays.value).toMatchObject({ format: "ndjson", rowCount: 2, columns: [{ name: "json", type: "json" }] });
    expect(await readThroughNode(path.join(tmp.dir, "arrays.ndjson"), arrays)).toEqual([
      { json: "[1,2]", __sluice_row: "1" },
      { json: "[3,4]", __sluice_row: "2" },
    ]);
    const cut = await inspect("cut-array.json", '[{"a":1},{"a":');
    expect(!cut.ok && cut.issues[0]).toMatchObject({ code: "FILE_MALFORMED", message: expect.stringMatching(/^"cut-array.json" could not be read: Malformed JSON .*unexpected end of data/) });
    const one = await inspect("c.json", '{\n  "a": 1,\n  "b": {"c": [1, 2]}\n}\n');
    expect(one.ok && one.value).toMatchObject({ format: "json", rowCount: 1, columns: [{ name: "a", type: "bigint" }, { name: "b", type: "json" }] });
    expect(await readThroughNode(path.join(tmp.dir, "c.json"), one)).toEqual([{ a: "1", b: '{"c":[1,2]}', __sluice_row: "1" }]);
  });

  it("detects keys and types from every record, not a sample: a key or a type first seen far down is kept", async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => `{"a":${i}}`);
    // The key "late" was no column, its value dropped without a word; a text value after 30,000 numbers was refused.
    const late = await inspect("late-key.ndjson", [...lines, '{"a":1,"late":"x"}'].join("\n") + "\n");
    expect(late.ok && late.value).toMatchObject({ rowCount: 30_001, columns: [{ name: "a", type: "bigint" }, { name: "late", type: "string" }] });
    const typed = await inspect("late-type.json", `[${[...lines, '{"a":"text"}'].join(",")}]`);
    expect(typed.ok && typed.value).toMatchObject({ rowCount: 30_001, columns: [{ name: "a", type: "json" }] });
    const p = path.join(tmp.dir, "late-key.ndjson");
    expect((await readThroughNode(p, late)).at(-1)).toEqual({ a: "1", late: "x", __sluice_row: "30001" });
  });

  it("refuses top-level keys it could only read as NULL: equal but for case, or empty", async () => {
    // Stored as "ID_1" and "C1", columns whose values the file source never found: NULL in every row.
    const cases = [
      ["case.json", '[{"id":1,"ID":2}]', 'In "case.json", the keys "id" and "ID" differ only in case, and Sluice compares column names without case, so it cannot read both. Rename one and upload the file again.'],
      ["case.ndjson", '{"id":1}\n{"Id":2}\n', 'In "case.ndjson", the keys "id" and "Id" differ only in case, and Sluice compares column names without case, so it cannot read both. Rename one and upload the file again.'],
      ["empty.json", '[{"a":1,"":2}]', 'In "empty.json", a key is empty, which cannot be a column name. Give it a name and upload the file again.'],
      ["empty-one.json", '{"":{"a":1}}', 'In "empty-one.json", a key is empty, which cannot be a column name. Give it a name and upload the file again.'],
    ] as const;
    for (const [name, content, message] of cases) {
      expect(await inspect(name, content), name).toEqual({ ok: false, issues: [expect.objectContaining({ code: "FILE_KEYS_UNREADABLE", field: "file", message })] });
    }
    // Nested keys stay in their json value, whatever their case; arrays of scalars and mixed records are no keys.
    const nested = await inspect("nested.json", '[{"id":1,"o":{"k":1,"":2}}]');
    expect(await readThroughNode(path.join(tmp.dir, "nested.json"), nested)).toEqual([{ id: "1", o: '{"k":1,"":2}', __sluice_row: "1" }]);
    expect(await inspect("scalars.json", "[1,2]")).toMatchObject({ ok: true, value: { rowCount: 2 } });
    expect(await inspect("mixed.json", '[{"a":1},2]')).toMatchObject({ ok: true });
  });

  it("reads a file by its content when its extension is wrong: JSON named .csv, CSV named .json", async () => {
    // JSON named .csv was read as CSV: columns '[{"a":1}' and '{"a":2}]', and no rows.
    const json = await inspect("export.csv", '[{"a":1},{"a":2}]');
    expect(json.ok && json.value).toMatchObject({ format: "json", rowCount: 2, columns: [{ name: "a", type: "bigint" }] });
    const nd = await inspect("events.txt", '{"a":1}\n{"a":2}\n');
    expect(nd.ok && nd.value).toMatchObject({ format: "ndjson", rowCount: 2, columns: [{ name: "a", type: "bigint" }] });
    // CSV named .json was refused as "Malformed JSON … unexpected character".
    const csv = await inspect("table.json", "a;b\n1;x\n2;y\n");
    expect(csv.ok && csv.value).toMatchObject({ format: "csv", rowCount: 2, columns: [{ name: "a", type: "bigint" }, { name: "b", type: "string" }] });
    expect(await readThroughNode(path.join(tmp.dir, "table.json"), csv)).toEqual([
      { a: "1", b: "x", __sluice_row: "1" },
      { a: "2", b: "y", __sluice_row: "2" },
    ]);
    // A .csv that only starts like JSON is CSV, as its name says.
    const csvAfterAll = await inspect("brackets.csv", "[a],b\n1,2\n");
    expect(csvAfterAll.ok && csvAfterAll.value).toMatchObject({ format: "csv", rowCount: 1, columns: [{ name: "[a]" }, { name: "b" }] });
    // Named and written as JSON, a truncated file is refused as JSON, never read as CSV.
    for (const name of ["cut.json", "cut.ndjson", "cut"]) {
      const cut = await inspect(name, '{"a":1}\n{"a":\n');
      expect(!cut.ok && cut.issues[0], name).toMatchObject({ code: "FILE_MALFORMED", message: expect.stringMatching(/Malformed JSON/) });
    }
  });

  it("reports malformed JSON with its line and without the server's path", async () => {
    const r = await inspect("bad.ndjson", '{"a":1}\n{"a":\n');
    expect(r).toMatchObject({ ok: false, issues: [{ code: "FILE_MALFORMED" }] });
    expect(!r.ok && r.issues[0]?.message).toMatch(/^"bad.ndjson" could not be read: Malformed JSON .* in line 3/);
    expect(!r.ok && r.issues[0]?.message).not.toContain(tmp.dir);
  });

  it("reads Parquet's unsigned 64-bit integers exactly, past the largest bigint too", async () => {
    const { duck, close } = await openTestDuck();
    const p = path.join(tmp.dir, "unsigned.parquet");
    try {
      await duck.run(`COPY (SELECT * FROM (VALUES (18446744073709551615::UBIGINT, 4294967295::UINTEGER), (1::UBIGINT, 0::UINTEGER)) t(u, ui)) TO ${quoteLiteral(p)} (FORMAT parquet)`);
    } finally {
      close();
    }
    const r = await inspectFile(p, { name: "unsigned.parquet" });
    expect(r.ok && r.value).toMatchObject({ rowCount: 2, columns: [{ name: "u", type: "decimal", precision: 20, scale: 0 }, { name: "ui", type: "bigint" }] });
    expect(await readThroughNode(p, r)).toEqual([
      { u: "18446744073709551615", ui: "4294967295", __sluice_row: "1" },
      { u: "1", ui: "0", __sluice_row: "2" },
    ]);
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
    // Cut short or damaged, it was "No magic bytes found at end of file" or "Snappy decompression failure".
    const whole = readFileSync(p);
    const cut = await inspect("cut.parquet", whole.subarray(0, whole.length - 10));
    expect(!cut.ok && cut.issues[0]?.message).toMatch(
      /^"cut.parquet" could not be read as Parquet: it is not a complete Parquet file: its end is missing \(an upload or copy cut short\) or it is another kind of file \(.*\)\. Check that it opens in another tool, or export it again\.$/,
    );
    expect(cut.ok || cut.issues[0]?.message).not.toContain(tmp.dir);
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

describe("inspectFile: line endings", () => {
  it("reads \\n, \\r\\n and lone \\r files, and names two lines that end differently when a file mixes them", async () => {
    for (const [name, nl] of [["lf.csv", "\n"], ["crlf.csv", "\r\n"], ["cr.csv", "\r"]] as const) {
      const r = await inspect(name, `a,b${nl}1,"x${nl}y"${nl}2,z${nl}`);
      expect(await readThroughNode(path.join(tmp.dir, name), r), name).toEqual([
        { a: "1", b: `x${nl}y`, __sluice_row: "1" },
        { a: "2", b: "z", __sluice_row: "2" },
      ]);
    }
    // DuckDB answered "The CSV Parser state machine reached an invalid state."
    const cases = [
      ["unix-then-windows.csv", "a,b\n1,2\r\n3,4\n", "line 1 with a line feed (\\n, as on Linux and macOS), line 2 with a carriage return and line feed (\\r\\n, as on Windows)"],
      ["windows-then-unix.csv", "a,b\r\n1,2\r\n3,4\n5,6\n", "line 1 with a carriage return and line feed (\\r\\n, as on Windows), line 3 with a line feed (\\n, as on Linux and macOS)"],
      ["lone-cr.csv", "a,b\n1,2\r3,4\n", "line 1 with a line feed (\\n, as on Linux and macOS), line 2 with a lone carriage return (\\r, as on classic Mac OS)"],
    ] as const;
    for (const [name, content, lines] of cases) {
      expect(await inspect(name, content), name).toEqual({
        ok: false,
        issues: [expect.objectContaining({ code: "FILE_MALFORMED", field: "file", message: `The lines of "${name}" end in different ways: ${lines}. Save the file with one kind of line ending (most editors can convert) and upload it again.` })],
      });
    }
    // A line break inside a quoted value is no line ending: a ragged row of such a file is named as before.
    const quoted = await inspect("quoted-lf.csv", 'a,b,c\r\n1,"x\ny",3\r\n4,5\r\n');
    expect(!quoted.ok && quoted.issues[0]?.message).toMatch(/^Line \d of "quoted-lf.csv": it has 2 fields where the header has 3/);
  });
});

describe("inspectFile: too many columns", () => {
  it("refuses a file wider than a file source can pass on, and takes one exactly that wide", async () => {
    // Stored, such a file answered every preview and run with TOO_MANY_COLUMNS, and nothing could narrow it.
    const csv = (n: number) => `${Array.from({ length: n }, (_, i) => `c${i}`).join(",")}\n${Array.from({ length: n }, (_, i) => i).join(",")}\n`;
    expect(await inspect("widest.csv", csv(MAX_COLUMNS))).toMatchObject({ ok: true, value: { rowCount: 1 } });
    expect(await inspect("too-wide.csv", csv(MAX_COLUMNS + 1))).toEqual({
      ok: false,
      issues: [expect.objectContaining({ code: "FILE_TOO_WIDE", field: "file", message: `"too-wide.csv" has 2,001 columns; Sluice reads at most 2,000 from one file. Remove the columns you do not need, or split the file, and upload it again.` })],
    });
  });
});

describe("inspectFile: infinite dates", () => {
  it("reads infinity and -infinity as such, never as 1900-01-01, or as text when the dates are not ISO", async () => {
    // Given the sniffed format %Y-%m-%d, DuckDB's CSV reader read "infinity" as 1900-01-01.
    const iso = await inspect("iso.csv", "d,t\n2024-01-31,2024-01-31 10:00:00\ninfinity,-infinity\n");
    expect(iso.ok && iso.value.columns).toEqual([
      { name: "d", type: "date" },
      { name: "t", type: "timestamp" },
    ]);
    expect(await readThroughNode(path.join(tmp.dir, "iso.csv"), iso)).toEqual([
      { d: "2024-01-31", t: "2024-01-31 10:00:00", __sluice_row: "1" },
      // DuckDB's client shows the infinite date as the largest one.
      { d: "5881580-07-11", t: "-infinity", __sluice_row: "2" },
    ]);
    const other = await inspect("eu.csv", "d,e\n31/01/2024,31/01/2024\n-infinity,01/02/2024\n");
    expect(other.ok && other.value.columns).toEqual([
      { name: "d", type: "string" },
      { name: "e", type: "date" },
    ]);
    expect(await readThroughNode(path.join(tmp.dir, "eu.csv"), other)).toEqual([
      { d: "31/01/2024", e: "2024-01-31", __sluice_row: "1" },
      { d: "-infinity", e: "2024-02-01", __sluice_row: "2" },
    ]);
  });
});

describe("inspectFile: whole numbers too big for a bigint", () => {
  it("reads them, and decimals with more digits than a double holds, exactly as decimals (or text past 38 digits), from CSV, JSON and NDJSON; other numbers stay doubles", async () => {
    // Detected as doubles, they kept 15-17 digits: 9223372036854775808 read 9223372036854776000.
    const cases = [
      ["ids.csv", "id,v\n12345678901234567890123,1.5\n-5,2\n", "12345678901234567890123"],
      ["over.csv", "id;v\n9223372036854775808;1.5\n-5;2\n", "9223372036854775808"],
      ["ids.json", '[{"id":12345678901234567890,"v":1.5},{"id":-5,"v":2}]', "12345678901234567890"],
      ["ids.ndjson", '{"id":123456789012345678901234567890,"v":1.5}\n{"id":-5,"v":2}\n', "123456789012345678901234567890"],
    ] as const;
    for (const [name, content, id] of cases) {
      const r = await inspect(name, content);
      expect(r.ok && r.value.columns, name).toEqual([
        { name: "id", type: "decimal", precision: 38, scale: 0 },
        { name: "v", type: "double" },
      ]);
      expect(await readThroughNode(path.join(tmp.dir, name), r), name).toEqual([
        { id, v: 1.5, __sluice_row: "1" },
        { id: "-5", v: 2, __sluice_row: "2" },
      ]);
    }
    // Decimals with more digits than a double holds, as a decimal(38,10) column writes them to CSV: exact too.
    const money = await inspect("money.csv", "amount,small\n12345678901234567890.1234567890,1.25\n-0.5,2\n");
    expect(money.ok && money.value.columns).toEqual([
      { name: "amount", type: "decimal", precision: 38, scale: 10 },
      { name: "small", type: "double" },
    ]);
    expect(await readThroughNode(path.join(tmp.dir, "money.csv"), money)).toEqual([
      { amount: "12345678901234567890.1234567890", small: 1.25, __sluice_row: "1" },
      { amount: "-0.5000000000", small: 2, __sluice_row: "2" },
    ]);
    const wider = await inspect("wider.csv", `id\n${"9".repeat(50)}\n1\n`);
    expect(wider.ok && wider.value.columns).toEqual([{ name: "id", type: "string" }]);
    expect((await readThroughNode(path.join(tmp.dir, "wider.csv"), wider))[0]).toEqual({ id: "9".repeat(50), __sluice_row: "1" });
  });
});
