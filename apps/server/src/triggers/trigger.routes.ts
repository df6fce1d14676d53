import { fileWatchSchema, pipelineIdParamsSchema, setFileWatchRequestSchema, setTriggersRequestSchema, triggersSchema } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { AppError, notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import { workspaceOf } from "../auth/request-auth.ts";
import { auditPipeline } from "../pipelines/pipeline-audit.ts";

/** The same answer for an id that does not exist and one of another workspace, so ids cannot be probed. */
const unknownUpstream = (id: string) => new AppError(400, "UNKNOWN_PIPELINE", `There is no pipeline ${id} to run after.`, { field: "after" });

export const triggerRoutes = (deps: Pick<Deps, "pipelines" | "triggers" | "fileWatches">) => [
  defineRoute({
    method: "get",
    path: "/pipelines/:id/triggers",
    tag: "triggers",
    action: "workspace.read",
    summary: "The pipelines whose successful run starts this one",
    params: pipelineIdParamsSchema,
    response: triggersSchema,
    errors: [404],
    handler: async ({ params, auth }) => {
      const workspaceId = workspaceOf(auth);
      if (!(await deps.pipelines.get(workspaceId, params.id))) throw notFound("pipeline", params.id);
      return { body: await deps.triggers.after(workspaceId, params.id) };
    },
  }),
  defineRoute({
    method: "put",
    path: "/pipelines/:id/triggers",
    tag: "triggers",
    action: "schedule.edit",
    summary: "Run this pipeline after each of these (pipelines of the same workspace) succeeds; a loop is refused with 422",
    params: pipelineIdParamsSchema,
    body: setTriggersRequestSchema,
    response: triggersSchema,
    errors: [400, 404, 422],
    handler: async ({ params, body, auth }) => {
      const workspaceId = workspaceOf(auth);
      if (!(await deps.pipelines.get(workspaceId, params.id))) throw notFound("pipeline", params.id);
      for (const id of body.after) if (!(await deps.pipelines.get(workspaceId, id))) throw unknownUpstream(id);
      const audit = auditPipeline<{ id: string; name: string; after: string[] }>(auth, "trigger.changed", (w) => ({ after: w.after }));
      const r = await deps.triggers.set(workspaceId, params.id, body.after, audit);
      if (!r.ok && "notFound" in r) throw r.notFound === params.id ? notFound("pipeline", params.id) : unknownUpstream(r.notFound);
      if (!r.ok) throw new AppError(422, "TRIGGER_LOOP", `That would make a loop: ${r.cycle.join(" → ")}. Remove one of these triggers first.`, { cycle: r.cycle });
      return { body: await deps.triggers.after(workspaceId, params.id) };
    },
  }),
  defineRoute({
    method: "get",
    path: "/pipelines/:id/file-watch",
    tag: "triggers",
    action: "workspace.read",
    summary: "The file name pattern whose uploads start this pipeline (null: none), and the latest uploads it acted on",
    params: pipelineIdParamsSchema,
    response: fileWatchSchema,
    errors: [404],
    handler: async ({ params, auth }) => {
      const workspaceId = workspaceOf(auth);
      if (!(await deps.pipelines.get(workspaceId, params.id))) throw notFound("pipeline", params.id);
      return { body: await deps.fileWatches.get(workspaceId, params.id) };
    },
  }),
  defineRoute({
    method: "put",
    path: "/pipelines/:id/file-watch",
    tag: "triggers",
    action: "schedule.edit",
    summary:
      "Start one run of this pipeline when a file whose name matches pattern (* any characters, ? one, case-insensitive) is uploaded or replaced with new content; the same content again starts nothing, and uploads while a run is queued join it. null stops watching",
    params: pipelineIdParamsSchema,
    body: setFileWatchRequestSchema,
    response: fileWatchSchema,
    errors: [400, 404],
    handler: async ({ params, body, auth }) => {
      const workspaceId = workspaceOf(auth);
      const audit = auditPipeline<{ id: string; name: string; pattern: string | null }>(auth, "file_watch.changed", (w) => ({ pattern: w.pattern }));
      if (!(await deps.fileWatches.set(workspaceId, params.id, body.pattern, audit))) throw notFound("pipeline", params.id);
      return { body: await deps.fileWatches.get(workspaceId, params.id) };
    },
  }),
];
