import { healthSchema, pipelineFormatJsonSchema } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { defineRoute, type AnyRoute } from "../http/route.ts";
import { buildOpenApi } from "../http/openapi.ts";
import { BUILT_IN_CONNECTION_ID } from "../connections/connection.repository.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";

export const systemRoutes = (deps: Pick<Deps, "pipelines" | "connections" | "database" | "version">, allRoutes: () => readonly AnyRoute[]) => [
  defineRoute({
    method: "get",
    path: "/health",
    tag: "system",
    action: "public",
    summary: "Liveness, which PostgreSQL is in use, and the Sluice version",
    response: healthSchema,
    errors: [503],
    handler: async () => {
      await deps.pipelines.count(DEFAULT_WORKSPACE_ID); // proves the metadata database answers
      const warehouse = await deps.connections.get(DEFAULT_WORKSPACE_ID, BUILT_IN_CONNECTION_ID);
      return {
        body: { status: "ok" as const, database: deps.database.kind, warehouse: { available: warehouse?.kind === "postgres" && !warehouse.unavailable }, version: deps.version },
      };
    },
  }),
  defineRoute({
    method: "get",
    path: "/openapi.json",
    tag: "system",
    action: "public",
    summary: "This API as an OpenAPI 3.1 document",
    handler: async () => ({ body: buildOpenApi(allRoutes(), deps.version) }),
  }),
  defineRoute({
    method: "get",
    path: "/pipeline-format.json",
    tag: "system",
    action: "public",
    summary: "JSON Schema of the pipeline file format",
    handler: async () => ({ body: pipelineFormatJsonSchema() }),
  }),
];
