import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { exportAll, exportFileNames } from "./export-files.ts";
import type { ServerClient } from "./server-client.ts";

const p = (id: string, name: string, createdAt: string) => ({ id, name, createdAt });

describe("exportFileNames", () => {
  it("gives names that slug alike their own files, the oldest keeping the plain name, whatever the list order", () => {
    const pipelines = [
      p("bbbbbbbb-0000-4000-8000-000000000002", "orders  qa!", "2024-01-02T00:00:00.000Z"),
      p("aaaaaaaa-0000-4000-8000-000000000001", "Orders QA", "2024-01-01T00:00:00.000Z"),
      p("cccccccc-0000-4000-8000-000000000003", "数据", "2024-01-03T00:00:00.000Z"),
      p("dddddddd-0000-4000-8000-000000000004", "———", "2024-01-04T00:00:00.000Z"),
    ];
    const names = exportFileNames(pipelines);
    expect(Object.fromEntries(names)).toEqual({
      "aaaaaaaa-0000-4000-8000-000000000001": "orders-qa.sluice.json",
      "bbbbbbbb-0000-4000-8000-000000000002": "orders-qa-bbbbbbbb.sluice.json",
      "cccccccc-0000-4000-8000-000000000003": "pipeline.sluice.json",
      "dddddddd-0000-4000-8000-000000000004": "pipeline-dddddddd.sluice.json",
    });
    expect(exportFileNames([...pipelines].reverse())).toEqual(names);
  });

  it("breaks ties in code-point order, not by the machine's locale", () => {
    // localeCompare puts "a…" before "B…" (in most locales); code points put "B" (66) first, on every machine.
    const at = "2024-01-01T00:00:00.000Z";
    const names = exportFileNames([p("a1", "Orders", at), p("B1", "Orders", at)]);
    expect(names.get("B1")).toBe("orders.sluice.json");
  });

  it("never hands out a file name twice, even to a pipeline named like another's suffixed file", () => {
    const names = exportFileNames([
      p("aaaaaaaa-0000-4000-8000-000000000001", "Orders", "2024-01-01T00:00:00.000Z"),
      p("bbbbbbbb-0000-4000-8000-000000000002", "orders", "2024-01-02T00:00:00.000Z"),
      p("cccccccc-0000-4000-8000-000000000003", "orders-bbbbbbbb", "2024-01-03T00:00:00.000Z"),
      p("dddddddd-0000-4000-8000-000000000004", "ORDERS-BBBBBBBB", "2024-01-04T00:00:00.000Z"),
    ]);
    expect(new Set(names.values()).size).toBe(4);
    expect(names.get("aaaaaaaa-0000-4000-8000-000000000001")).toBe("orders.sluice.json");
    expect(names.get("cccccccc-0000-4000-8000-000000000003")).toBe("orders-bbbbbbbb.sluice.json");
    expect(names.get("bbbbbbbb-0000-4000-8000-000000000002")).toBe("orders-bbbbbbbb-0000-4000-8000-000000000002.sluice.json");
  });

  it("keeps file names within 255 bytes whatever names and ids a server sends, and never a path", () => {
    const names = exportFileNames([
      p("a".repeat(5000), "x".repeat(5000), "2024-01-01T00:00:00.000Z"),
      p("b".repeat(5000), "X".repeat(5000), "2024-01-02T00:00:00.000Z"),
      p("../../etc", "../../.ssh/authorized_keys", "2024-01-03T00:00:00.000Z"),
    ]);
    for (const name of names.values()) {
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
      expect(name).toMatch(/^[a-z0-9_][a-z0-9_-]*\.sluice\.json$/);
    }
    expect(new Set(names.values()).size).toBe(3);
    expect(names.get("../../etc")).toBe("ssh-authorized_keys.sluice.json");
  });
});

describe("exportAll", () => {
  it("writes each file in the canonical key order the API's export answers with, parameters and engine before the nodes", async () => {
    const served = {
      name: "Daily",
      description: "",
      graph: {
        formatVersion: 1,
        parameters: [{ name: "day", type: "date", default: "2024-01-01" }],
        engine: "duckdb",
        nodes: [{ id: "src", type: "inline", typeVersion: 1, position: { x: 0, y: 0 }, config: { columns: [{ name: "n", type: "integer" }], rows: [[1]] } }],
        edges: [],
      },
    };
    const server = {
      listPipelines: async () => [{ id: "aaaaaaaa-0000-4000-8000-000000000001", name: "Daily", createdAt: "2024-01-01T00:00:00.000Z" }],
      get: async <T>(_path: string, schema: z.ZodType<T>) => schema.parse(JSON.parse(JSON.stringify(served))),
    } as unknown as ServerClient;
    const dir = mkdtempSync(path.join(tmpdir(), "sluice-export-"));
    try {
      const code = await exportAll(dir, server, { log: () => {}, error: () => {} });
      expect(code).toBe(0);
      expect(readFileSync(path.join(dir, "daily.sluice.json"), "utf8")).toBe(`${JSON.stringify(served, null, 2)}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses an --out that is a file, saying so, before asking the server anything", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sluice-export-"));
    try {
      const file = path.join(dir, "pipelines");
      writeFileSync(file, "mine");
      const asked: string[] = [];
      const server = { listPipelines: async () => (asked.push("list"), []), get: async () => asked.push("get") } as unknown as ServerClient;
      const errors: string[] = [];
      expect(await exportAll(file, server, { log: () => {}, error: (l) => errors.push(l) })).toBe(2);
      expect(errors).toEqual([`--out ${file} is a file, not a folder; name a folder to write the pipeline files into.`]);
      expect(asked).toEqual([]);
      expect(readFileSync(file, "utf8")).toBe("mine");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
