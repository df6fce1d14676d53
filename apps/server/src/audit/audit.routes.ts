import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { auditPageSchema, auditQuerySchema } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { defineRoute } from "../http/route.ts";
import { workspaceOf } from "../auth/request-auth.ts";
import type { AuditFilter } from "./audit-log.repository.ts";

type AuditQuery = ReturnType<typeof auditQuerySchema.parse>;

const filterOf = (q: AuditQuery): AuditFilter => ({
  before: q.before !== undefined ? BigInt(q.before) : undefined,
  actor: q.actor,
  action: q.action,
  resourceType: q.resourceType,
  resourceId: q.resourceId,
  from: q.from !== undefined ? new Date(q.from) : undefined,
  to: q.to !== undefined ? new Date(q.to) : undefined,
});

/**
 * The audit log, read only: there is deliberately no route that changes or deletes an entry (and the table's
 * trigger refuses it anyway).
 */
export const auditRoutes = (deps: Pick<Deps, "audit">) => [
  defineRoute({
    method: "get",
    path: "/audit",
    tag: "audit",
    action: "audit.read",
    summary: "The workspace's audit log, newest first, filtered by actor, action, resource and time; pages by `before`, or every entry as NDJSON with format=ndjson",
    query: auditQuerySchema,
    response: auditPageSchema,
    handler: async ({ query, auth, req, res }) => {
      const workspaceId = workspaceOf(auth);
      const filter = filterOf(query);
      if (query.format === "json") return { body: await deps.audit.page(workspaceId, filter, query.limit) };

      const day = new Date().toISOString().slice(0, 10);
      res.status(200);
      res.set({ "Content-Type": "application/x-ndjson; charset=utf-8", "Content-Disposition": `attachment; filename="sluice-audit-${day}.ndjson"` });
      const events = deps.audit.all(workspaceId, filter);
      const lines = Readable.from((async function* () {
        for await (const e of events) yield `${JSON.stringify(e)}\n`;
      })());
      try {
        await pipeline(lines, res);
      } catch (e) {
        // The client went away mid-export: nothing to answer. Anything else is the server's own failure.
        if (!req.destroyed && (e as { code?: unknown }).code !== "ERR_STREAM_PREMATURE_CLOSE") throw e;
      }
      return undefined;
    },
  }),
];
