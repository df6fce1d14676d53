import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT, main } from "./main.ts";

// Refusals the real server gives rarely or only when something is down (apps/server/src/pipelines/cli.test.ts
// runs the command against the real server): a small HTTP server answers the start of a run with `refusal`.
let refusal: { status: number; body: string } = { status: 500, body: "" };
let listStatus = 200;
let listRefusal: { status: number; body: string } | null = null;
let url: string;
let server: Server;
const pipeline = { id: "3f1c0b7e-0000-4000-8000-000000000001", name: "Nightly", description: "", currentVersion: 1, createdAt: "2024-01-01T00:00:00.000Z", updatedAt: "2024-01-01T00:00:00.000Z", lastRun: null };
const apiError = (code: string, message: string) => JSON.stringify({ error: { code, message } });

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/api/pipelines" && listRefusal) {
      res.writeHead(listRefusal.status, { "content-type": "application/json" });
      res.end(listRefusal.body);
      return;
    }
    if (req.method === "GET" && req.url === "/api/pipelines") {
      res.writeHead(listStatus, { "content-type": "application/json" });
      res.end(listStatus === 200 ? JSON.stringify({ pipelines: [pipeline] }) : apiError("DATABASE_UNAVAILABLE", "The database is not answering."));
      return;
    }
    res.writeHead(refusal.status, { "content-type": "application/json" });
    res.end(refusal.body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const a = server.address();
  url = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
});
afterAll(() => server.close());

async function sluice(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main([...args, "--server", url, "--token", ""], { log: (l) => stdout.push(l), error: (l) => stderr.push(l) });
  return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
}

describe("sluice run when the server does not start the run", () => {
  it("a missing token exits 1 with the server's message and the flag to pass", async () => {
    refusal = { status: 401, body: apiError("SIGN_IN_REQUIRED", "Sign in first: this request needs a signed-in session or an API token.") };
    const r = await sluice("run", "Nightly");
    expect(r.code).toBe(EXIT.problems);
    expect(r.stderr).toContain("Sign in first: this request needs a signed-in session or an API token.");
    expect(r.stderr).toContain("Pass an API token with --token T, or set $SLUICE_TOKEN.");
  });

  it("a token whose role may not run exits 1 with the server's message and what token to use", async () => {
    refusal = { status: 403, body: apiError("ROLE_FORBIDDEN", 'This API token\'s role in the workspace "Default" is viewer; only owners, editors and runners may do this (run.start).') };
    const r = await sluice("run", "Nightly");
    expect(r.code).toBe(EXIT.problems);
    expect(r.stderr).toContain("is viewer; only owners, editors and runners may do this (run.start).");
    expect(r.stderr).toContain("Use an API token whose role allows this (runner to run, editor to import)");
    expect(r.stderr).not.toContain("Pass an API token");
  });

  it("a pipeline deleted meanwhile (404) exits 1; an overloaded or unavailable server (502-504) exits 4", async () => {
    refusal = { status: 404, body: apiError("NOT_FOUND", "There is no pipeline 3f1c0b7e-0000-4000-8000-000000000001.") };
    expect(await sluice("run", "Nightly")).toMatchObject({ code: EXIT.problems, stderr: expect.stringContaining("There is no pipeline") });
    refusal = { status: 503, body: apiError("DATABASE_UNAVAILABLE", "The database is not answering; try again.") };
    expect(await sluice("run", "Nightly")).toMatchObject({ code: EXIT.unreachable, stderr: expect.stringContaining("The database is not answering") });
    refusal = { status: 502, body: "<html>Bad gateway</html>" };
    expect(await sluice("run", "Nightly")).toMatchObject({ code: EXIT.unreachable, stderr: expect.stringContaining("The server answered 502.") });
  });

  it("a server error exits 1, not 3: no run started, so none failed", async () => {
    refusal = { status: 500, body: apiError("INTERNAL", "Something went wrong.") };
    expect((await sluice("run", "Nightly")).code).toBe(EXIT.problems);
  });

  it("503 from any other call exits 4 too", async () => {
    listStatus = 503;
    try {
      const r = await sluice("run", "Nightly");
      expect(r.code).toBe(EXIT.unreachable);
      expect(r.stderr).toContain("is unavailable (DATABASE_UNAVAILABLE: The database is not answering.); try again shortly.");
    } finally {
      listStatus = 200;
    }
  });
});

describe("any command against a server that is away, or is not a Sluice server", () => {
  const commands = [["validate", "FILE"], ["import", "FILE"], ["export", "--out", "/nonexistent-sluice-dir"], ["run", "Nightly"]];
  const withFile = async (fn: (file: string) => Promise<void>) => {
    const dir = mkdtempSync(path.join(tmpdir(), "sluice-cli-"));
    try {
      const file = path.join(dir, "p.json");
      writeFileSync(file, JSON.stringify({ name: "P", graph: { formatVersion: 1, nodes: [], edges: [] } }));
      await fn(file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it("a gateway's 502 or 504 from any call exits 4, as 503 does", async () => {
    await withFile(async (file) => {
      for (const status of [502, 504]) {
        listRefusal = { status, body: "<html>Bad gateway</html>" };
        refusal = { status, body: "" };
        try {
          for (const args of commands) {
            const r = await sluice(...args.map((a) => (a === "FILE" ? file : a)));
            expect(r, args.join(" ")).toMatchObject({ code: EXIT.unreachable, stderr: expect.stringContaining(`is unavailable (The server answered ${status}.); try again shortly.`) });
          }
        } finally {
          listRefusal = null;
        }
      }
    });
  });

  it("an answer that is not Sluice's (a page, an empty body, other JSON) says so in one line and exits 1", async () => {
    await withFile(async (file) => {
      for (const body of ["<html>Sign in to the proxy</html>", "", '{"pipelines": 3, "valid": "yes"}']) {
        listRefusal = { status: 200, body };
        refusal = { status: 200, body };
        try {
          for (const args of commands) {
            const r = await sluice(...args.map((a) => (a === "FILE" ? file : a)));
            expect(r.code, args.join(" ")).toBe(EXIT.problems);
            expect(r.stderr).toMatch(/^The server at http:\/\/127\.0\.0\.1:\d+ answered (GET|POST) \/api\/\S+ \(200\) with (a body that is not JSON|JSON that is not the answer Sluice gives)\. Check that --server/);
            expect(r.stderr).not.toContain("invalid_type");
          }
        } finally {
          listRefusal = null;
        }
      }
    });
  });

  it("a run the server says it started without saying which says so, not a TypeError", async () => {
    refusal = { status: 202, body: "" };
    const r = await sluice("run", "Nightly");
    expect(r.code).toBe(EXIT.problems);
    expect(r.stderr).toContain("answered POST /api/pipelines/…/runs (202) with a body that is not JSON");
  });
});

describe("any command against a server, without a token or with a role that may not", () => {
  it("passes the server's message on with the flag to pass", async () => {
    listRefusal = { status: 401, body: apiError("SIGN_IN_REQUIRED", "Sign in first: this request needs a signed-in session or an API token.") };
    try {
      const r = await sluice("export", "--out", "/nonexistent-sluice-dir");
      expect(r.code).toBe(EXIT.problems);
      expect(r.stderr).toContain("SIGN_IN_REQUIRED: Sign in first: this request needs a signed-in session or an API token.");
      expect(r.stderr).toContain("Pass an API token with --token T, or set $SLUICE_TOKEN.");
    } finally {
      listRefusal = null;
    }
  });

  it("a 403 from the token's role passes the message on with what token to use", async () => {
    listRefusal = { status: 403, body: apiError("ROLE_FORBIDDEN", 'This API token\'s role in the workspace "Default" is viewer; only owners and editors may do this (pipeline.edit).') };
    try {
      const r = await sluice("export", "--out", "/nonexistent-sluice-dir");
      expect(r.code).toBe(EXIT.problems);
      expect(r.stderr).toContain("ROLE_FORBIDDEN: This API token's role in the workspace");
      expect(r.stderr).toContain("Use an API token whose role allows this");
    } finally {
      listRefusal = null;
    }
  });
});
