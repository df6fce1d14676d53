import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT, main } from "./main.ts";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "sluice-files-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sluice(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(args, { log: (l) => stdout.push(l), error: (l) => stderr.push(l) });
  return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
}

const file = { name: "Café orders", graph: { formatVersion: 1, nodes: [{ id: "src", type: "inline", label: "Crème", position: { x: 0, y: 0 }, config: {} }], edges: [] } };

describe("pipeline files in other encodings than plain UTF-8", () => {
  it("reads a file with a UTF-8 byte order mark (as Windows editors write) like one without", async () => {
    const at = path.join(dir, "bom.json");
    writeFileSync(at, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(file), "utf8")]));
    const r = await sluice("validate", "--offline", at);
    expect(r.stderr).toBe("");
    expect(r).toMatchObject({ code: EXIT.ok, stdout: `${at}: format ok (1 nodes; settings and columns are checked with a server)` });
  });

  it("refuses a Latin-1 or UTF-16 file with what to do, rather than reading its accents as replacement characters", async () => {
    const latin1 = path.join(dir, "latin1.json");
    writeFileSync(latin1, Buffer.from(JSON.stringify(file), "latin1"));
    const utf16 = path.join(dir, "utf16.json");
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(file), "utf16le")]));
    for (const command of ["validate", "import"]) {
      const r = await sluice(command, latin1, utf16, "--server", "http://127.0.0.1:1");
      expect(r.code, command).toBe(EXIT.problems);
      expect(r.stderr).toContain(`${latin1} is not UTF-8 text (saved as Latin-1 or Windows-1252, say); save it as UTF-8.`);
      expect(r.stderr).toContain(`${utf16} is saved as UTF-16 text; save it as UTF-8`);
      expect(r.stderr).not.toContain("Cannot reach");
    }
    expect(readdirSync(dir).sort()).toEqual(["bom.json", "latin1.json", "utf16.json"]);
  });
});

describe("numbers a pipeline file cannot carry", () => {
  it("refuses 1e400 (Infinity once read, null once sent) naming where it is, and sends nothing", async () => {
    const at = path.join(dir, "huge.json");
    const inline = { id: "src", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "n", type: "double" }], rows: [[0]] } };
    writeFileSync(at, JSON.stringify({ name: "Huge", graph: { formatVersion: 1, nodes: [inline], edges: [] } }).replace("[[0]]", "[[1e400]]"));
    for (const command of ["validate", "import"]) {
      const r = await sluice(command, at, "--server", "http://127.0.0.1:1");
      expect(r.code, command).toBe(EXIT.problems);
      expect(r.stderr).toContain(`${at}: graph.nodes.0.config.rows.0.0 is a number too large to represent`);
      expect(r.stderr).not.toContain("Cannot reach");
    }
    rmSync(at);
  });

  it("refuses a file nested thousands of levels deep naming the file and where, not with a bare stack overflow", async () => {
    const at = path.join(dir, "deep.json");
    let deep = "1";
    for (let i = 0; i < 100_000; i++) deep = `{"a":${deep}}`;
    const limit = { id: "top", type: "limit", typeVersion: 2, position: { x: 0, y: 0 }, config: { count: 1, skip: 0, deep: 0 } };
    writeFileSync(at, JSON.stringify({ name: "Deep", graph: { formatVersion: 1, nodes: [limit], edges: [] } }).replace('"deep":0', `"deep":${deep}`));
    for (const command of ["validate", "import"]) {
      const r = await sluice(command, at, "--server", "http://127.0.0.1:1");
      expect(r.code, command).toBe(EXIT.problems);
      expect(r.stderr).toMatch(new RegExp(`^${at.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: graph\\.nodes\\.0\\.config\\.deep\\.a\\.a.* is nested more than 64 levels deep; flatten it\\.`));
      expect(r.stderr).not.toContain("Maximum call stack");
    }
    rmSync(at);
  });
});

describe("paths that are not pipeline files", () => {
  it("a folder is named, with what to pass instead, and nothing is sent", async () => {
    for (const command of ["validate", "import"]) {
      const r = await sluice(command, dir, "--server", "http://127.0.0.1:1");
      expect(r.code, command).toBe(EXIT.problems);
      expect(r.stderr).toContain(`${dir} is a folder; name the pipeline files in it, e.g. ${path.join(dir, "*.json")}.`);
      expect(r.stderr).not.toContain("Cannot reach");
    }
  });
});

describe("imports the server cannot take in one request", () => {
  it("more pipelines than one import holds, or none at all, are said with what to do, and nothing is sent", async () => {
    const many = path.join(dir, "many.json");
    const g = { formatVersion: 1, nodes: [], edges: [] };
    writeFileSync(many, JSON.stringify({ pipelines: Array.from({ length: 201 }, (_, i) => ({ name: `P${i}`, graph: g })) }));
    const none = path.join(dir, "none.json");
    writeFileSync(none, JSON.stringify({ pipelines: [] }));
    const r = await sluice("import", many, "--server", "http://127.0.0.1:1");
    expect(r).toMatchObject({ code: EXIT.problems, stderr: "Nothing imported: the file holds 201 pipelines, and one import takes at most 200; import them in parts of at most 200." });
    const empty = await sluice("import", none, "--server", "http://127.0.0.1:1");
    expect(empty).toMatchObject({ code: EXIT.problems, stderr: "Nothing imported: the file holds no pipelines." });
    rmSync(many);
    rmSync(none);
  });
});
