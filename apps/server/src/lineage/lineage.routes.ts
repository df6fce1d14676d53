import {
  datasetUsageParamsSchema,
  datasetUsageQuerySchema,
  datasetUsageSchema,
  pipelineIdParamsSchema,
  pipelineLineageQuerySchema,
  pipelineLineageSchema,
  workspaceLineageSchema,
} from "@sluice/model";
import { AppError, notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import { workspaceOf } from "../auth/request-auth.ts";
import type { LineageFacade } from "./lineage.facade.ts";

/** Lineage (docs/lineage.md): anyone who may read the workspace may read where its data comes from and goes. */
export const lineageRoutes = (deps: { lineage: LineageFacade }) => [
  defineRoute({
    method: "get",
    path: "/pipelines/:id/lineage",
    tag: "lineage",
    action: "workspace.read",
    summary: "Column-level lineage of a version of a pipeline (the current one unless ?version=): per node, port and column, the upstream columns it comes from, in OpenLineage's terms",
    params: pipelineIdParamsSchema,
    query: pipelineLineageQuerySchema,
    response: pipelineLineageSchema,
    errors: [400, 404],
    handler: async ({ params, query, auth }) => {
      const r = await deps.lineage.pipelineLineage(workspaceOf(auth), params.id, query.version);
      if (r.kind === "not_found") throw notFound("pipeline", params.id);
      if (r.kind === "version_not_found") throw new AppError(404, "VERSION_NOT_FOUND", `Pipeline ${params.id} has no version ${r.version}.`);
      return { body: r.body };
    },
  }),
  defineRoute({
    method: "get",
    path: "/lineage",
    tag: "lineage",
    action: "workspace.read",
    summary: "The workspace's pipelines (current versions) and the datasets they read and write, as one graph",
    response: workspaceLineageSchema,
    handler: async ({ auth }) => ({ body: await deps.lineage.workspaceLineage(workspaceOf(auth)) }),
  }),
  defineRoute({
    method: "get",
    path: "/datasets/:name/usage",
    tag: "lineage",
    action: "workspace.read",
    summary: "Which pipelines read or write a dataset (by its OpenLineage name; ?namespace= to pick one), at which version",
    params: datasetUsageParamsSchema,
    query: datasetUsageQuerySchema,
    response: datasetUsageSchema,
    errors: [400, 404],
    handler: async ({ params, query, auth }) => {
      const usage = await deps.lineage.datasetUsage(workspaceOf(auth), params.name, query.namespace);
      if (usage.datasets.length === 0) {
        throw new AppError(404, "DATASET_NOT_FOUND", `No pipeline of this workspace reads or writes a dataset named "${params.name}"${query.namespace ? ` in ${query.namespace}` : ""}; GET /api/lineage lists the datasets by name.`);
      }
      return { body: usage };
    },
  }),
];
