import { z } from "zod";

export const auditActorKindSchema = z.enum(["person", "token", "system", "anonymous"]);
export type AuditActorKind = z.infer<typeof auditActorKindSchema>;

/** One entry of the append-only audit log. Never holds a secret; `details` e.g. `{ version: 4 }` for pipeline.saved. */
export const auditEventSchema = z.object({
  /** Increasing; the cursor for paging (`before`). A string, as it is a 64-bit integer. */
  id: z.string(),
  at: z.string(),
  workspaceId: z.string().nullable(),
  actorKind: auditActorKindSchema,
  actorId: z.string().nullable(),
  /** Who, as people read it then: an email, a token's name, "system". */
  actorLabel: z.string(),
  address: z.string().nullable(),
  /** e.g. "pipeline.saved", "member.role_changed", "sign_in.failed". */
  action: z.string(),
  resourceType: z.string().nullable(),
  resourceId: z.string().nullable(),
  resourceLabel: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

const filter = z.string().trim().min(1).max(200).optional();
const instant = z.iso.datetime({ offset: true }).optional();

/** GET /api/audit, newest first. `actor` matches the actor's id or, case-insensitively, its label (an email). */
export const auditQuerySchema = z.strictObject({
  /** Only events with a smaller id: the `nextBefore` of the previous page. */
  before: z
    .string()
    .regex(/^\d{1,19}$/, "not an audit cursor")
    // A 64-bit id: anything larger would overflow in PostgreSQL (a 500) rather than match nothing.
    .refine((v) => !/^\d{1,19}$/.test(v) || BigInt(v) <= 9_223_372_036_854_775_807n, "not an audit cursor")
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  actor: filter,
  action: filter,
  resourceType: filter,
  resourceId: filter,
  /** Inclusive bounds on `at`, ISO 8601 with an offset. */
  from: instant,
  to: instant,
  /** `ndjson` answers application/x-ndjson, one event a line, every matching event (no paging). */
  format: z.enum(["json", "ndjson"]).default("json"),
});
export type AuditQuery = z.input<typeof auditQuerySchema>;

export const auditPageSchema = z.object({ events: z.array(auditEventSchema), nextBefore: z.string().nullable() });
export type AuditPage = z.infer<typeof auditPageSchema>;
