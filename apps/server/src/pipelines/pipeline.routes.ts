import {
  createPipelineRequestSchema,
  duplicatePipelineRequestSchema,
  pipelineDetailSchema,
  pipelineIdParamsSchema,
  pipelineListSchema,
  pipelineVersionListSchema,
  pipelineVersionParamsSchema,
  pipelineVersionSchema,
  restoreVersionRequestSchema,
  updatePipelineRequestSchema,
  validateRequestSchema,
  validateResponseSchema,
} from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { AppError, notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import type { UpdateOutcome } from "./pipeline.repository.ts";
import { refuseSecretHeaders } from "./secret-headers.ts";
import { auditPipeline } from "./pipeline-audit.ts";
import { workspaceOf } from "../auth/request-auth.ts";
import { loadRequestGraph } from "./load-graph.ts";
import { refuseUnsavedHttpWrites } from "./unsaved-http-writes.ts";

function versionConflict(base: number, current: number) {
  return new AppError(
    409,
    "VERSION_CONFLICT",
    `This pipeline changed since you opened it: you edited version ${base}, the current version is ${current}. Reload it and apply your change again.`,
    { currentVersion: current },
  );
}

/** The saved pipeline of an update or a restore, or the 404/409 its outcome calls for. */
function unwrapUpdate(outcome: UpdateOutcome, id: string, base: number) {
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

/** Pipelines and their versions: list, create, read, save, delete, duplicate, restore, and checking a graph. */
export const pipelineRoutes = (deps: Pick<Deps, "pipelines" | "validation">) => [
  defineRoute({
    method: "post",
    path: "/pipelines/validate",
    tag: "pipelines",
    action: "pipeline.preview",
    summary: "Check a graph: every problem at once, and the output columns of every node",
    body: validateRequestSchema,
    response: validateResponseSchema,
    errors: [403],
    handler: async ({ body, auth }) => {
      await refuseUnsavedHttpWrites(deps.pipelines, auth, body.graph);
      return { body: await deps.validation.validate(workspaceOf(auth), body.graph) };
    },
  }),
  defineRoute({
    method: "get",
    path: "/pipelines",
    tag: "pipelines",
    action: "workspace.read",
    summary: "List pipelines, most recently changed first, with each one's last run",
    response: pipelineListSchema,
    handler: async ({ auth }) => ({ body: { pipelines: await deps.pipelines.list(workspaceOf(auth)) } }),
  }),
  defineRoute({
    method: "post",
    path: "/pipelines",
    tag: "pipelines",
    action: "pipeline.edit",
    summary: "Create a pipeline (version 1); an invalid graph is allowed as a draft",
    body: createPipelineRequestSchema,
    response: pipelineDetailSchema,
    status: 201,
    errors: [400, 413, 415],
    handler: async ({ body, auth }) => {
      // Older files are migrated first, so the secret check and the store see the current settings.
      const graph = body.graph && loadRequestGraph(body.graph).graph;
      refuseSecretHeaders(graph);
      return { status: 201, body: await deps.pipelines.create(workspaceOf(auth), { ...body, graph }, auditPipeline(auth, "pipeline.created", (w) => ({ version: w.version }))) };
    },
  }),
  defineRoute({
    method: "get",
    path: "/pipelines/:id",
    tag: "pipelines",
    action: "workspace.read",
    summary: "Get a pipeline with the graph of its current version",
    params: pipelineIdParamsSchema,
    response: pipelineDetailSchema,
    errors: [404],
    handler: async ({ params, auth }) => {
      const p = await deps.pipelines.get(workspaceOf(auth), params.id);
      if (!p) throw notFound("pipeline", params.id);
      return { body: p };
    },
  }),
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
  }),
  defineRoute({
    method: "delete",
    path: "/pipelines/:id",
    tag: "pipelines",
    action: "pipeline.edit",
    summary: "Delete a pipeline with its versions and run history; refused while a run is in progress",
    params: pipelineIdParamsSchema,
    status: 204,
    errors: [404, 409],
    handler: async ({ params, res, auth }) => {
      const outcome = await deps.pipelines.remove(workspaceOf(auth), params.id, auditPipeline(auth, "pipeline.deleted"));
      if (outcome === "not_found") throw notFound("pipeline", params.id);
      if (outcome === "running") {
        throw new AppError(409, "PIPELINE_RUNNING", "This pipeline has a run in progress. Cancel the run or wait for it to finish, then delete.");
      }
      res.status(204).end();
      return undefined;
    },
  }),
  defineRoute({
    method: "get",
    path: "/pipelines/:id/versions",
    tag: "pipelines",
    action: "workspace.read",
    summary: "List a pipeline's versions, newest first",
    params: pipelineIdParamsSchema,
    response: pipelineVersionListSchema,
    errors: [404],
    handler: async ({ params, auth }) => {
      const versions = await deps.pipelines.versions(workspaceOf(auth), params.id);
      if (!versions) throw notFound("pipeline", params.id);
      return { body: { versions } };
    },
  }),
  defineRoute({
    method: "get",
    path: "/pipelines/:id/versions/:n",
    tag: "pipelines",
    action: "workspace.read",
    summary: "Get one version of a pipeline, read-only",
    params: pipelineVersionParamsSchema,
    response: pipelineVersionSchema,
    errors: [404],
    handler: async ({ params, auth }) => {
      const workspaceId = workspaceOf(auth);
      const v = await deps.pipelines.version(workspaceId, params.id, params.n);
      if (v) return { body: v };
      if (!(await deps.pipelines.get(workspaceId, params.id))) throw notFound("pipeline", params.id);
      throw new AppError(404, "VERSION_NOT_FOUND", `Pipeline ${params.id} has no version ${params.n}.`);
    },
  }),
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
  }),
  defineRoute({
    method: "post",
    path: "/pipelines/:id/duplicate",
    tag: "pipelines",
    action: "pipeline.edit",
    summary: "Copy a pipeline's current version into a new pipeline (history and runs are not copied)",
    params: pipelineIdParamsSchema,
    body: duplicatePipelineRequestSchema,
    response: pipelineDetailSchema,
    status: 201,
    errors: [400, 404],
    handler: async ({ params, body, auth }) => {
      const workspaceId = workspaceOf(auth);
      const source = await deps.pipelines.get(workspaceId, params.id);
      if (!source) throw notFound("pipeline", params.id);
      refuseSecretHeaders(source.graph, `"${source.name}"`);
      const copy = await deps.pipelines.create(
        workspaceId,
        {
          name: body.name ?? `${source.name} (copy)`,
          description: source.description,
          graph: source.graph,
          message: `Duplicated from "${source.name}" version ${source.currentVersion}`,
        },
        // A copy is a new pipeline; `from` says which pipeline and version it was copied from.
        auditPipeline(auth, "pipeline.created", (w) => ({ version: w.version, from: { pipelineId: source.id, version: source.currentVersion } })),
      );
      return { status: 201, body: copy };
    },
  }),
];
