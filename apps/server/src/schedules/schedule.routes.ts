import { parameterProblems, parameterValuesFor } from "../runs/parameter-values.ts";
import {
  checkCron,
  createScheduleRequestSchema,
  pipelineIdParamsSchema,
  scheduleIdParamsSchema,
  scheduleListSchema,
  scheduleSchema,
  updateScheduleRequestSchema,
  type ScheduleInfo,
} from "@sluice/model";
import { z } from "zod";
import type { Deps } from "../http/deps.ts";
import { AppError, notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import { workspaceOf } from "../auth/request-auth.ts";
import { recordAudit } from "../audit/audit.repository.ts";

const checkRequestSchema = z.strictObject({ cron: z.string().max(200), timezone: z.string().max(100).default("UTC") });
const checkResponseSchema = z.object({ nextRuns: z.array(z.string()) });

/** The audit entry's resource: the schedule, labelled with its pipeline's name. */
const resource = (id: string, pipelineName: string | undefined) => ({
  resourceType: "schedule",
  resourceId: id,
  ...(pipelineName !== undefined ? { resourceLabel: pipelineName } : {}),
});

/** What the audit log keeps of a schedule: its timing, not its parameter values (which only the schedule needs). */
const settingsOf = (s: ScheduleInfo) => ({ pipelineId: s.pipelineId, cron: s.cron, timezone: s.timezone, enabled: s.enabled, missed: s.missed });

export const scheduleRoutes = (deps: Pick<Deps, "transaction" | "schedules" | "pipelines">) => [
  defineRoute({
    method: "get",
    path: "/pipelines/:id/schedules",
    tag: "schedules",
    action: "workspace.read",
    summary: "A pipeline's schedules with their next run times",
    params: pipelineIdParamsSchema,
    response: scheduleListSchema,
    errors: [404],
    handler: async ({ params, auth }) => {
      const workspaceId = workspaceOf(auth);
      const pipeline = await deps.pipelines.get(workspaceId, params.id);
      if (!pipeline) throw notFound("pipeline", params.id);
      // A schedule saved against an older version may pass values this one refuses: say so before a slot fails.
      const schedules = (await deps.schedules.list(workspaceId, params.id)).map((s) => ({ ...s, problems: parameterProblems(pipeline.graph, s.params) }));
      return { body: { schedules } };
    },
  }),
  defineRoute({
    method: "post",
    path: "/pipelines/:id/schedules",
    tag: "schedules",
    action: "schedule.edit",
    summary: "Add a schedule (cron expression, IANA time zone); an invalid expression or zone is refused with the reason",
    params: pipelineIdParamsSchema,
    body: createScheduleRequestSchema,
    response: scheduleSchema,
    status: 201,
    errors: [400, 404, 422],
    handler: async ({ params, body, auth }) => {
      const workspaceId = workspaceOf(auth);
      const pipeline = await deps.pipelines.get(workspaceId, params.id);
      if (!pipeline) throw notFound("pipeline", params.id);
      parameterValuesFor(pipeline.graph, body.params);
      const created = await deps.transaction(async (tx) => {
        const s = await deps.schedules.create(workspaceId, params.id, body, tx);
        if (s) await recordAudit(tx, auth, { action: "schedule.created", ...resource(s.id, pipeline.name), details: settingsOf(s) });
        return s;
      });
      if (!created) throw notFound("pipeline", params.id);
      return { status: 201, body: created };
    },
  }),
  defineRoute({
    method: "put",
    path: "/schedules/:id",
    tag: "schedules",
    action: "schedule.edit",
    summary: "Change a schedule's expression, time zone, missed-slot policy, or switch it on or off",
    params: scheduleIdParamsSchema,
    body: updateScheduleRequestSchema,
    response: scheduleSchema,
    errors: [400, 404, 422],
    handler: async ({ params, body, auth }) => {
      const workspaceId = workspaceOf(auth);
      const current = await deps.schedules.get(workspaceId, params.id);
      if (!current) throw notFound("schedule", params.id);
      // The expression and the zone are checked together, whichever of them changed.
      const check = checkCron(body.cron ?? current.cron, body.timezone ?? current.timezone, 1);
      if (!check.ok) throw new AppError(400, "INVALID_SCHEDULE", check.message, { field: check.field });
      const pipeline = await deps.pipelines.get(workspaceId, current.pipelineId);
      if (pipeline && body.params) parameterValuesFor(pipeline.graph, body.params);
      // Switched on, or given new times: slots already passed are not "missed while down", so none catches up.
      const restart = (body.enabled === true && !current.enabled) || (body.cron !== undefined && body.cron !== current.cron) || (body.timezone !== undefined && body.timezone !== current.timezone);
      const updated = await deps.transaction(async (tx) => {
        const u = await deps.schedules.update(workspaceId, params.id, { ...body, ...(restart ? { lastSlotAt: new Date() } : {}) }, tx);
        if (u) {
          const changed = Object.keys(body).filter((k) => body[k as keyof typeof body] !== undefined);
          await recordAudit(tx, auth, { action: "schedule.changed", ...resource(u.id, pipeline?.name), details: { changed, ...settingsOf(u) } });
        }
        return u;
      });
      // Deleted by someone else in the meantime.
      if (!updated) throw notFound("schedule", params.id);
      return { body: pipeline ? { ...updated, problems: parameterProblems(pipeline.graph, updated.params) } : updated };
    },
  }),
  defineRoute({
    method: "delete",
    path: "/schedules/:id",
    tag: "schedules",
    action: "schedule.edit",
    summary: "Remove a schedule",
    params: scheduleIdParamsSchema,
    status: 204,
    errors: [404],
    handler: async ({ params, res, auth }) => {
      const workspaceId = workspaceOf(auth);
      const current = await deps.schedules.get(workspaceId, params.id);
      if (!current) throw notFound("schedule", params.id);
      const pipeline = await deps.pipelines.get(workspaceId, current.pipelineId);
      const removed = await deps.transaction(async (tx) => {
        const done = await deps.schedules.remove(workspaceId, params.id, tx);
        if (done) await recordAudit(tx, auth, { action: "schedule.deleted", ...resource(current.id, pipeline?.name), details: settingsOf(current) });
        return done;
      });
      if (!removed) throw notFound("schedule", params.id);
      res.status(204).end();
      return undefined;
    },
  }),
  defineRoute({
    method: "post",
    path: "/schedules/check",
    tag: "schedules",
    action: "workspace.read",
    summary: "The next five run times of a cron expression in a time zone, or why it is not valid",
    body: checkRequestSchema,
    response: checkResponseSchema,
    errors: [400],
    handler: async ({ body }) => {
      const r = checkCron(body.cron, body.timezone, 5);
      if (!r.ok) throw new AppError(400, "INVALID_SCHEDULE", r.message, { field: r.field });
      return { body: { nextRuns: r.next.map((d) => d.toISOString()) } };
    },
  }),
];
