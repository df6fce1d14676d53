import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT, main } from "./main.ts";
import { runLocal, validateLocal } from "./local-run.ts";

// An HTTP source that names a credential, run locally with its secret headers from a --credentials file.
const TOKEN = "local-7d3f90a1c2b4e865";
let dir: string;
let api: http.Server;
let base: string;
const seen: (string | undefined)[] = [];
const at = (...p: string[]) => path.join(dir, ...p);
const guard = { allowlist: ["127.0.0.1"] };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "sluice-local-credentials-"));
  api = http.createServer((req, res) => {
    seen.push(req.headers.authorization);
    const ok = req.headers.authorization === `Bearer ${TOKEN}`;
    res.writeHead(ok ? 200 : 401, { "content-type": "application/json" }).end(JSON.stringify(ok ? [{ id: 1 }, { id: 2 }] : { error: `refused ${req.headers.authorization}` }));
  });
  await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  writeFileSync(
    at("pipeline.json"),
    JSON.stringify({
      name: "Items",
      graph: {
        formatVersion: 1,
        nodes: [
          { id: "api", type: "http", position: { x: 0, y: 0 }, config: { url: `${base}/items`, credentialId: "items-api" } },
          { id: "out", type: "file-sink", position: { x: 300, y: 0 }, config: { name: "items", format: "csv" } },
        ],
        edges: [{ id: "e1", source: "api", target: "out" }],
      },
    }),
  );
  writeFileSync(at("credentials.json"), JSON.stringify({ "items-api": { hosts: ["127.0.0.1"], headers: [{ name: "Authorization", value: `Bearer ${TOKEN}` }] } }));
});
afterAll(() => {
  api?.close();
  rmSync(dir, { recursive: true, force: true });
});

function collect() {
  const lines: string[] = [];
  return { lines, out: { log: (l: string) => void lines.push(l), error: (l: string) => void lines.push(l) } };
}

describe("local runs with --credentials", () => {
  it("send the file's secret headers, and print none of them", async () => {
    seen.length = 0;
    const { lines, out } = collect();
    const code = await runLocal(at("pipeline.json"), { inputs: [], credentials: at("credentials.json"), http: guard, outDir: at("out") }, out);
    expect(code, lines.join("\n")).toBe(EXIT.ok);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((h) => h === `Bearer ${TOKEN}`)).toBe(true);
    expect(readFileSync(at("out", "items.csv"), "utf8")).toBe("id\n1\n2\n");
    expect(lines.join("\n")).not.toContain(TOKEN);
  });

  it("say where a credential must come from when there is none, and refuse a malformed file as a usage error", async () => {
    const none = collect();
    expect(await validateLocal([at("pipeline.json")], { inputs: [], http: guard }, none.out)).toBe(EXIT.problems);
    expect(none.lines.join("\n")).toMatch(/CREDENTIAL_UNAVAILABLE \[api\.credentialId\].*lives on a Sluice server.*--credentials FILE/);
    writeFileSync(at("other.json"), JSON.stringify({ "other-api": { hosts: ["127.0.0.1"], headers: [{ name: "X-Key", value: "k" }] } }));
    const missing = collect();
    expect(await validateLocal([at("pipeline.json")], { inputs: [], credentials: at("other.json"), http: guard }, missing.out)).toBe(EXIT.problems);
    expect(missing.lines.join("\n")).toContain('credential "items-api" is not in --credentials');
    writeFileSync(at("bad.json"), JSON.stringify({ "items-api": { hosts: ["127.0.0.1"], headers: [{ name: "Host", value: "x" }] } }));
    const bad = collect();
    expect(await validateLocal([at("pipeline.json")], { inputs: [], credentials: at("bad.json"), http: guard }, bad.out)).toBe(EXIT.usage);
    expect(bad.lines.join("\n")).toContain("items-api.headers.0.name: The Host header is set automatically.");
    const flag = collect();
    expect(await main(["run", at("pipeline.json"), "--credentials", at("credentials.json")], flag.out)).toBe(EXIT.usage);
    expect(flag.lines.join("\n")).toContain("--credentials only applies to local runs and validation; add --local.");
  });
});
