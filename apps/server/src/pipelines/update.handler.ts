import { pipelineDetailSchema, pipelineIdParamsSchema, updatePipelineRequestSchema } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { AppError, notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import type { UpdateOutcome } from "./pipeline.repository.ts";
import { refuseSecretHeaders } from "./secret-headers.ts";
import { auditPipeline } from "./pipeline-audit.ts";
import { workspaceOf } from "../auth/request-auth.ts";
import { loadRequestGraph } from "./load-graph.ts";

export function versionConflict(base: number, current: number) {
  return new AppError(
    409,
    "VERSION_CONFLICT",
    `This pipeline changed since you opened it: you edited version ${base}, the current version is ${current}. Reload it and apply your change again.`,
    { currentVersion: current },
  );
}

export function unwrapUpdate(outcome: UpdateOutcome, id: string, base: number) {
  switch (outcome.kind) {
    case "updated":
      return outcome.pipeline;
    case "not_found":
      throw notFound("pipeline", id);
    case "conflict":
      throw versionConflict(base, outcome.currentVersion);
    default: {
      const never: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(never)}`);
    }
  }
}

export const updatePipelineRoute = (deps: Deps) =>
  defineRoute({
    method: "put",
    path: "/pipelines/:id",
    tag: "pipelines",
    action: "pipeline.edit",
    summary: "Save a new immutable version; baseVersion must be the current version or the answer is 409",
    params: pipelineIdParamsSchema,
    body: updatePipelineRequestSchema,
    response: pipelineDetailSchema,
    errors: [400, 404, 409, 413, 415],
    handler: async ({ params, body, auth }) => {
      // Older graphs (an editor open since before an upgrade) are migrated first; the store writes the current versions.
      const graph = body.graph && loadRequestGraph(body.graph).graph;
      refuseSecretHeaders(graph);
      const outcome = await deps.pipelines.update(workspaceOf(auth), params.id, { ...body, graph }, auditPipeline(auth, "pipeline.saved", (w) => ({ version: w.version })));
      return { body: unwrapUpdate(outcome, params.id, body.baseVersion) };
    },
  });
