import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { createTestApp, type TestApp } from "../testing/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ uploadBytes: 64 * 1024 });
});
afterAll(async () => t?.close());

const upload = (name: string, content: string | Buffer) =>
  request(t.app).post("/api/files").attach("file", Buffer.isBuffer(content) ? content : Buffer.from(content), name);
const stored = () => readdirSync(path.join(t.dataDir, "files"));

describe("files API", () => {
  it("uploads a CSV under a generated name, detects its columns, previews and lists it", async () => {
    const res = await upload("../../etc/evil name.csv", 'id,"full name",amount\n1,"Ann, Jr.",1.5\n2,Bö,\n3,"say ""hi""",-2e10\n');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ name: "evil name.csv", format: "csv", rowCount: 3 });
    expect(res.body.columns).toEqual([
      { name: "id", type: "bigint" },
      { name: "full name", type: "string" },
      { name: "amount", type: "double" },
    ]);
    expect(stored().some((f) => f.includes("evil"))).toBe(false);
    const preview = await request(t.app).get(`/api/files/${res.body.id}/preview?limit=2`);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.rows).toEqual([
      { id: 1, "full name": "Ann, Jr.", amount: 1.5 },
      { id: 2, "full name": "Bö", amount: null },
    ]);
    expect(preview.body.rowCount).toBe(3);
    expect(preview.body.profile.amount).toMatchObject({ nulls: 1 });
    const list = await request(t.app).get("/api/files");
    expect(list.body.files.map((f: { id: string }) => f.id)).toContain(res.body.id);
  });

  it("reports headers it renamed, blank or clashing by case, on upload and when the file is read back", async () => {
    const res = await upload("orders.csv", "order_id,Amount,amount,,country\n1,2.5,3,x,DE\n");
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const renamed = [
      { position: 3, original: "amount", name: "amount_1", reason: "duplicate" },
      { position: 4, original: "", name: "column3", reason: "blank" },
    ];
    expect(res.body.renamedColumns).toEqual(renamed);
    expect((await request(t.app).get(`/api/files/${res.body.id}`)).body.renamedColumns).toEqual(renamed);
    const listed = (await request(t.app).get("/api/files")).body.files.find((f: { id: string }) => f.id === res.body.id);
    expect(listed.renamedColumns).toEqual(renamed);
    expect((await upload("plain.csv", "a,b\n1,2\n")).body.renamedColumns).toEqual([]);
  });

  it("reads NDJSON and JSON", async () => {
    const nd = await upload("events.ndjson", '{"a":1,"b":"x"}\n{"a":2,"b":null}\n');
    expect(nd.status, JSON.stringify(nd.body)).toBe(201);
    expect(nd.body.format).toBe("ndjson");
    const js = await upload("events.json", '[{"a":1},{"a":2}]');
    expect(js.status, JSON.stringify(js.body)).toBe(201);
    expect(js.body.format).toBe("json");
  });

  it("refuses an empty file, naming the problem, and keeps nothing", async () => {
    const before = stored().length;
    const res = await upload("empty.csv", "");
    expect(res.status).toBe(422);
    expect(res.body.error.code).toMatch(/EMPTY/);
    expect(stored().length).toBe(before);
  });

  it("refuses a file that is not UTF-8, naming the line", async () => {
    const res = await upload("latin1.csv", Buffer.concat([Buffer.from("a,b\n1,ok\n2,"), Buffer.from([0xe9, 0xe9, 0xff]), Buffer.from("\n")]));
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/line 3/i);
  });

  it("refuses ragged rows, naming the line", async () => {
    const res = await upload("ragged.csv", "a,b,c\n1,2,3\n4,5\n6,7,8\n");
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/line 3/i);
  });

  it("answers a file over the limit with 413 and removes the partial upload", async () => {
    const before = stored().length;
    const res = await upload("big.csv", "a\n" + "1234567890\n".repeat(10_000));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("FILE_TOO_LARGE");
    expect(stored().length).toBe(before);
  });

  it("answers a request without a file with 400", async () => {
    const res = await request(t.app).post("/api/files").field("other", "x");
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("NO_FILE");
    const json = await request(t.app).post("/api/files").send({ file: "x" });
    expect(json.status).toBe(400);
  });

  /** A multipart body written by hand, since form clients escape or refuse the names these tests need. */
  const rawUpload = (disposition: string) => {
    const b = "sluiceboundary";
    const body = Buffer.concat([
      Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; `),
      Buffer.from(disposition, "latin1"),
      Buffer.from(`\r\nContent-Type: text/csv\r\n\r\na\n1\n\r\n--${b}--\r\n`),
    ]);
    return request(t.app).post("/api/files").set("content-type", `multipart/form-data; boundary=${b}`).send(body);
  };

  it.each([
    ["a NUL sent %-encoded", "filename*=utf-8''a%00b.csv", "FILE_NAME_INVALID"],
    ["a line break sent %-encoded", "filename*=utf-8''a%0Ab.csv", "FILE_NAME_INVALID"],
    ["a raw tab", 'filename="a\tb.csv"', "FILE_NAME_INVALID"],
    ["a raw control character (not a valid header)", 'filename="a\u0001b.csv"', "UPLOAD_INVALID"],
    ["a raw NUL (not a valid header)", 'filename="a\u0000b.csv"', "UPLOAD_INVALID"],
    ["a 300-character name", `filename="${"x".repeat(296)}.csv"`, "FILE_NAME_INVALID"],
  ])("refuses a file name with %s with 400, keeping nothing", async (_name, disposition, code) => {
    const before = stored().length;
    const res = await rawUpload(disposition);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error).toMatchObject({ code, message: expect.any(String) });
    expect(stored().length).toBe(before);
  });

  it("keeps only the last part of a name with folders, from either kind of slash", async () => {
    const res = await rawUpload("filename*=utf-8''..%2F..%5Cdir%5Cok%20name.csv");
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.name).toBe("ok name.csv");
  });

  it("refuses to delete a file a pipeline reads, then deletes it when unused", async () => {
    const f = (await upload("used.csv", "a\n1\n")).body;
    const p = await request(t.app)
      .post("/api/pipelines")
      .send({ name: "Reader", graph: { formatVersion: 1, nodes: [{ id: "f", type: "file", position: { x: 0, y: 0 }, config: { fileId: f.id } }], edges: [] } });
    const refused = await request(t.app).delete(`/api/files/${f.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('"Reader"');
    await request(t.app).delete(`/api/pipelines/${p.body.id}`);
    const file = path.join(t.dataDir, "files", stored().find(() => true)!);
    expect(existsSync(file)).toBe(true);
    expect((await request(t.app).delete(`/api/files/${f.id}`)).status).toBe(204);
    expect((await request(t.app).get(`/api/files/${f.id}`)).status).toBe(404);
  });
});
