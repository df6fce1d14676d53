import { randomUUID } from "node:crypto";
import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { MAX_NESTING } from "@sluice/engine";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";
import { deepJson, deepParquet, whenInspectorStarts } from "@sluice/engine/testing";

// Files that crashed the whole server when DuckDB parsed them in its process. Every test ends by checking
// that the server still answers and still takes a good file.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ uploadBytes: 2 * 1024 * 1024 });
});
afterAll(async () => t?.close());

const upload = (name: string, content: string | Buffer) =>
  request(t.app).post("/api/files").attach("file", Buffer.isBuffer(content) ? content : Buffer.from(content), name);
const stored = () => readdirSync(path.join(t.dataDir, "files"));

async function expectServerAlive() {
  expect((await request(t.app).get("/api/files")).status).toBe(200);
  // Each check uploads the same name again: as a numbered copy, since the name then exists.
  const good = await request(t.app).post("/api/files?onExists=keep-both").attach("file", Buffer.from('{"a":1}\n{"a":2}\n'), "good.ndjson");
  expect(good.status, JSON.stringify(good.body)).toBe(201);
  expect((await request(t.app).get(`/api/files/${good.body.id}/preview`)).status).toBe(200);
}

/** Objects and arrays nested past the limit in each shape JSON allows, strings with brackets and escaped quotes included. */
const over = MAX_NESTING + 1;
const deepPayloads = {
  "the report's 120 KB file (20,000 deep)": deepJson(20_000),
  "the report's 10,000 deep file": deepJson(10_000),
  arrays: "[".repeat(over) + "1" + "]".repeat(over),
  objects: '{"a":'.repeat(over) + "1" + "}".repeat(over),
  "NDJSON lines": `{"s":"]]]}}}\\"[["}\n{"a":1}\n${'{"a":'.repeat(over)}1${"}".repeat(over)}\n`,
  mixed: '[{"k\\"]":[{"v":"}]\\\\",'.repeat(over) + '"x":1' + "}]}]".repeat(over),
};

describe("uploads nested too deeply", () => {
  it("refuses the report's payloads with 422 FILE_TOO_DEEPLY_NESTED, keeps nothing, and the server lives", async () => {
    expect(Buffer.byteLength(deepJson(20_000))).toBeGreaterThan(120_000);
    const before = stored().length;
    for (const depth of [20_000, 10_000]) {
      const res = await upload("deep.json", deepJson(depth));
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.error).toMatchObject({ code: "FILE_TOO_DEEPLY_NESTED" });
      expect(res.body.error.message).toBe(
        `Line 1 of "deep.json" nests objects and arrays more than 64 levels deep, more than Sluice reads. Flatten the data (or keep its deepest parts as text) and upload it again.`,
      );
    }
    expect(stored().length).toBe(before);
    await expectServerAlive();
  });

  it("refuses every deep shape under every name read as JSON, and never answers 5xx under the others", async () => {
    for (const [what, content] of Object.entries(deepPayloads)) {
      for (const name of ["deep.json", "deep.ndjson", "deep.jsonl", "deep.txt", "deep"]) {
        const res = await upload(name, content);
        expect(res.status, `${what} as ${name}: ${JSON.stringify(res.body)}`).toBe(422);
        expect(res.body.error.code, `${what} as ${name}`).toBe("FILE_TOO_DEEPLY_NESTED");
      }
    }
    // Read as CSV, TSV or Parquet these are text or not Parquet at all: refused or stored, never a crash.
    for (const name of ["deep.csv", "deep.tsv", "deep.parquet"]) {
      const res = await upload(name, deepPayloads["the report's 120 KB file (20,000 deep)"]);
      expect([201, 422], `${name}: ${JSON.stringify(res.body)}`).toContain(res.status);
      if (res.status === 201) expect((await request(t.app).get(`/api/files/${res.body.id}/preview`)).status).toBe(200);
    }
    await expectServerAlive();
  });

  it("takes JSON nested exactly 64 deep, brackets and escaped quotes in its strings not counted", async () => {
    const nest = (levels: number) => '{"a":'.repeat(levels) + "1" + "}".repeat(levels);
    const strings = '"s":"[[{{\\"[{","t":"\\\\"';
    const files = {
      "limit.json": `[{${strings},"d":${nest(MAX_NESTING - 2)}}]`,
      "limit.ndjson": `{${strings},"d":${nest(MAX_NESTING - 1)}}\n{${strings},"d":1}\n`,
      "limit.txt": `[{${strings},"d":${nest(MAX_NESTING - 2)}}]`,
    };
    for (const [name, content] of Object.entries(files)) {
      const res = await upload(name, content);
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(201);
      const preview = await request(t.app).get(`/api/files/${res.body.id}/preview`);
      expect(preview.status, JSON.stringify(preview.body)).toBe(200);
      expect(preview.body.rows[0]).toMatchObject({ s: '[[{{"[{', t: "\\" });
    }
  });

  it("refuses Parquet whose schema nests too deeply: one that would crash DuckDB, one that would keep it busy for a minute, one just over", async () => {
    for (const depth of [100_000, 10_000]) {
      const res = await upload("deep.parquet", deepParquet(depth));
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.error).toMatchObject({ code: "FILE_TOO_DEEPLY_NESTED", message: expect.stringContaining(`"deep.parquet" has columns that nest`) });
    }
    const over = await upload("over.parquet", deepParquet(MAX_NESTING + 1));
    expect(over.status, JSON.stringify(over.body)).toBe(422);
    expect(over.body.error).toMatchObject({ code: "FILE_TOO_DEEPLY_NESTED", message: expect.stringContaining('Column "a" of "over.parquet"') });
    await expectServerAlive();
  });
});

describe("a reader that crashes", () => {
  it("answers 422 FILE_UNREADABLE when the inspector process dies of a native crash, logs why, keeps nothing, and the server lives", async () => {
    const before = stored().length;
    const response = upload("crash.csv", "a,b\n1,2\n").then((r) => r);
    // What DuckDB overflowing its stack does to the process reading the file: SIGSEGV.
    await whenInspectorStarts((pid) => process.kill(pid, "SIGSEGV"));
    const res = await response;
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe("FILE_UNREADABLE");
    expect(res.body.error.message).toMatch(/^"crash.csv" could not be read: the reader stopped unexpectedly \(SIGSEGV\)/);
    expect(t.logs.some((l) => /^inspecting .* ended with SIGSEGV/.test(l))).toBe(true);
    expect(stored().length).toBe(before);
    await expectServerAlive();
  });
});

describe("a too deep file stored before the limit", () => {
  /** As an upload before this limit stored it: the file in place, its row in the table, never checked. */
  async function storedBefore(name: string, format: "json" | "parquet", content: string | Buffer) {
    const storageKey = `${randomUUID()}.${format}`;
    writeFileSync(path.join(t.dataDir, "files", storageKey), content);
    return t.deps.files.create(DEFAULT_WORKSPACE_ID, { name, size: Buffer.byteLength(content), storageKey, format, columns: [{ name: "a", type: "json" }], options: {}, rowCount: 1, renamedColumns: [] });
  }

  it("is refused, Parquet too, when previewed as a file", async () => {
    const f = await storedBefore("old.parquet", "parquet", deepParquet(1000));
    const preview = await request(t.app).get(`/api/files/${f.id}/preview`);
    expect(preview.status, JSON.stringify(preview.body)).toBe(422);
    expect(preview.body.error).toMatchObject({ code: "FILE_TOO_DEEPLY_NESTED", message: expect.stringContaining('"old.parquet" has columns that nest') });
    await expectServerAlive();
  });

  it("is refused by previews and runs before DuckDB reads it", async () => {
    const f = await storedBefore("old.json", "json", deepJson(20_000));
    const tooDeep = { code: "FILE_TOO_DEEPLY_NESTED", message: expect.stringMatching(/^Line 1 of "old.json" nests objects and arrays more than 64 levels deep/) };

    const preview = await request(t.app).get(`/api/files/${f.id}/preview`);
    expect(preview.status, JSON.stringify(preview.body)).toBe(422);
    expect(preview.body.error).toMatchObject(tooDeep);

    const graph = { formatVersion: 1, nodes: [{ id: "src", type: "file", position: { x: 0, y: 0 }, config: { fileId: f.id } }], edges: [] };
    const node = await request(t.app).post("/api/preview").send({ graph, nodeId: "src" });
    expect(node.status, JSON.stringify(node.body)).toBe(200);
    expect(node.body.problems).toEqual([expect.objectContaining({ ...tooDeep, nodeId: "src", field: "fileId" })]);

    const p = await request(t.app).post("/api/pipelines").send({ name: "Old deep file", graph });
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    const run = await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({});
    expect(run.status, JSON.stringify(run.body)).toBe(422);
    expect(run.body.error.code).toBe("PIPELINE_INVALID");
    expect(JSON.stringify(run.body.error)).toContain("FILE_TOO_DEEPLY_NESTED");
    await expectServerAlive();
  });
});
