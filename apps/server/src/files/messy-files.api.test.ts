import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";

// Files as data engineers get them, uploaded and previewed through the API: correct rows, or a 422 that says what to fix.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ uploadBytes: 2 * 1024 * 1024 });
});
afterAll(async () => t?.close());

const upload = (name: string, content: string | Buffer) =>
  request(t.app).post("/api/files?onExists=keep-both").attach("file", Buffer.isBuffer(content) ? content : Buffer.from(content), name);
const preview = (id: string) => request(t.app).get(`/api/files/${id}/preview`);

describe("a UTF-8 byte order mark (as Windows tools write it)", () => {
  it("is removed when the upload is stored, so JSON and NDJSON with one read like any other", async () => {
    for (const [name, content] of [
      ["bom.json", '\ufeff[{"a":1,"b":"x"},{"a":2,"b":"y"}]'],
      ["bom.ndjson", '\ufeff{"a":1,"b":"x"}\n{"a":2,"b":"y"}\n'],
      ["bom.csv", "\ufeffa,b\r\n1,x\r\n2,y\r\n"],
    ]) {
      const res = await upload(name!, content!);
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(201);
      expect(res.body).toMatchObject({ rowCount: 2, size: Buffer.byteLength(content!) - 3, columns: [{ name: "a", type: "bigint" }, { name: "b", type: "string" }] });
      const stored = readFileSync(t.deps.files.pathOf((await t.deps.files.get(DEFAULT_WORKSPACE_ID, res.body.id))!.storageKey));
      expect(stored.equals(Buffer.from(content!).subarray(3)), name).toBe(true);
      const rows = await preview(res.body.id);
      expect(rows.status, JSON.stringify(rows.body)).toBe(200);
      expect(rows.body.rows, name).toEqual([
        { a: 1, b: "x" },
        { a: 2, b: "y" },
      ]);
    }
  });
});
