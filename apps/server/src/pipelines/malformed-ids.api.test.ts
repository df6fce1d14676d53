import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { nodeCatalog } from "@sluice/pipeline";
import { createTestApp, type TestApp } from "../testing/test-app.ts";

// Ids that look like a UUID's length or shape but are not one: each must read as "not found", never reach a
// uuid cast in PostgreSQL (which answered 500 for a graph naming a file or connection "------…").
const NOT_UUIDS = ["-".repeat(36), "g".repeat(8) + "-gggg-gggg-gggg-" + "g".repeat(12), "00000000-0000-4000-8000-00000000000", "'; select 1 --"];

describe("ids in a graph that are not UUIDs", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  }, 60_000);
  afterAll(async () => t?.close());

  // Every setting of every node type that names a stored thing by id (fileId, connectionId, credentialId, …).
  const idSettings = nodeCatalog.flatMap((def) =>
    Object.keys({ ...(def.defaultConfig as object), ...((def.configSchema as { shape?: object }).shape ?? {}) })
      .filter((key) => key.endsWith("Id"))
      .map((key) => ({ def, key })),
  );

  it("covers the node settings that name files, connections and credentials", () => {
    expect(idSettings.map(({ def, key }) => `${def.type}.${key}`).sort()).toEqual(["file.fileId", "http.credentialId", "postgres-sink.connectionId", "postgres.connectionId"]);
  });

  it("are reported as not found by validation and previews, never a server error", async () => {
    for (const { def, key } of idSettings) {
      for (const id of NOT_UUIDS) {
        const node = { id: "n", type: def.type, position: { x: 0, y: 0 }, config: { ...(def.defaultConfig as object), [key]: id } };
        const graph = { formatVersion: 1, nodes: [node], edges: [] };
        const validated = await request(t.app).post("/api/pipelines/validate").send({ graph });
        expect(validated.status, `${def.type}.${key} = ${id}: ${JSON.stringify(validated.body)}`).toBe(200);
        const previewed = await request(t.app).post("/api/preview").send({ graph, nodeId: "n" });
        expect(previewed.status, `${def.type}.${key} = ${id} preview: ${JSON.stringify(previewed.body)}`).toBeLessThan(500);
      }
    }
  });
});
