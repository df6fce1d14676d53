import { pipelineIdParamsSchema, setTriggersRequestSchema, triggersSchema } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { AppError, notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";

export const triggerRoutes = (deps: Deps) => [
  defineRoute({
    method: "get",
    path: "/pipelines/:id/triggers",
    tag: "triggers",
    action: "workspace.read",
    summary: "The pipelines whose successful run starts this one",
    params: pipelineIdParamsSchema,
    response: triggersSchema,
    errors: [404],
    handler: async ({ params }) => {
      if (!(await deps.pipelines.get(params.id))) throw notFound("pipeline", params.id);
      return { body: await deps.triggers.after(params.id) };
    },
  }),
  defineRoute({
    method: "put",
    path: "/pipelines/:id/triggers",
    tag: "triggers",
    action: "schedule.edit",
    summary: "Run this pipeline after each of these succeeds; a loop is refused with 422",
    params: pipelineIdParamsSchema,
    body: setTriggersRequestSchema,
    response: triggersSchema,
    errors: [400, 404, 422],
    handler: async ({ params, body }) => {
      if (!(await deps.pipelines.get(params.id))) throw notFound("pipeline", params.id);
      for (const id of body.after) if (!(await deps.pipelines.get(id))) throw new AppError(400, "UNKNOWN_PIPELINE", `There is no pipeline ${id} to run after.`, { field: "after" });
      const r = await deps.triggers.set(params.id, body.after);
      if (!r.ok) throw new AppError(422, "TRIGGER_LOOP", `That would make a loop: ${r.cycle.join(" → ")}. Remove one of these triggers first.`, { cycle: r.cycle });
      return { body: await deps.triggers.after(params.id) };
    },
  }),
];
