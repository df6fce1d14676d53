import { gzipSync } from "node:zlib";
import express from "express";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { errorMiddleware } from "./error-middleware.ts";

/** The JSON body parser as the app mounts it, and the error middleware after it. */
function app(logged: string[]) {
  const a = express();
  a.post("/x", express.json({ limit: "1kb", strict: true }), (req, res) => res.json({ got: req.body }));
  a.use(errorMiddleware((m) => logged.push(m)));
  return a;
}

describe("errorMiddleware and bodies the parser cannot read", () => {
  it.each([
    ["gzip", "not gzip at all"],
    ["deflate", "not deflate either"],
    ["br", "not brotli"],
  ])("a body that is not %s as Content-Encoding says is 400 MALFORMED_BODY, not a logged 500", async (encoding, body) => {
    const logged: string[] = [];
    const res = await request(app(logged)).post("/x").set("content-type", "application/json").set("content-encoding", encoding).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("MALFORMED_BODY");
    expect(res.body.error.message).toMatch(/Content-Encoding/);
    expect(logged).toEqual([]);
  });

  it("still reads a body compressed as it says, and keeps the known codes", async () => {
    const logged: string[] = [];
    const ok = await request(app(logged)).post("/x").set("content-type", "application/json").set("content-encoding", "gzip")
      .serialize((b: unknown) => b as string) // the bytes as they are, not the Buffer as JSON
      .send(gzipSync('{"a":1}'));
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ got: { a: 1 } });
    const unknown = await request(app(logged)).post("/x").set("content-type", "application/json").set("content-encoding", "zstd-ish").send("{}");
    expect(unknown.status).toBe(415);
    expect(unknown.body.error.code).toBe("UNSUPPORTED_ENCODING");
    const malformed = await request(app(logged)).post("/x").set("content-type", "application/json").send("{");
    expect(malformed.body.error.code).toBe("MALFORMED_JSON");
    expect(logged).toEqual([]);
  });

  it("leaves other errors a 500 that is logged", async () => {
    const logged: string[] = [];
    const a = express();
    a.get("/boom", () => {
      throw Object.assign(new Error("boom"), { status: 500, expose: false });
    });
    a.use(errorMiddleware((m) => logged.push(m)));
    const res = await request(a).get("/boom");
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe("INTERNAL");
    expect(logged).toHaveLength(1);
  });
});
