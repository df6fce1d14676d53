import { pipelineDetailSchema, pipelineVersionParamsSchema, restoreVersionRequestSchema } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { AppError } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import { unwrapUpdate } from "./update.handler.ts";
import { refuseSecretHeaders } from "./secret-headers.ts";
import { auditPipeline } from "./pipeline-audit.ts";
import { workspaceOf } from "../auth/request-auth.ts";

export const restoreVersionRoute = (deps: Deps) =>
  defineRoute({
    method: "post",
    path: "/pipelines/:id/versions/:n/restore",
    tag: "pipelines",
    action: "pipeline.edit",
    summary: "Make an old version current again, as a new version (history is never rewritten)",
    params: pipelineVersionParamsSchema,
    body: restoreVersionRequestSchema,
    response: pipelineDetailSchema,
    errors: [400, 404, 409],
    handler: async ({ params, body, auth }) => {
      const workspaceId = workspaceOf(auth);
      const old = await deps.pipelines.version(workspaceId, params.id, params.n);
      if (old) refuseSecretHeaders(old.graph, `Version ${params.n}`);
      const audit = auditPipeline(auth, "pipeline.restored", (w) => ({ version: w.version, from: params.n }));
      const outcome = await deps.pipelines.restore(workspaceId, params.id, params.n, body, audit);
      if (outcome.kind === "version_not_found") {
        throw new AppError(404, "VERSION_NOT_FOUND", `Pipeline ${params.id} has no version ${params.n}.`);
      }
      const base = outcome.kind === "conflict" ? (body.baseVersion ?? 0) : 0;
      return { body: unwrapUpdate(outcome, params.id, base) };
    },
  });
