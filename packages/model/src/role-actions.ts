import { z } from "zod";

/** A person's role in one workspace (an API token carries one too). Ordered from most to least trusted. */
export const roleSchema = z.enum(["owner", "editor", "runner", "viewer"]);
export type Role = z.infer<typeof roleSchema>;

/** How much a role may do: viewer 0, runner 1, editor 2, owner 3 (each role may do all a lower one may). */
export const roleRank = (role: Role): number => roleSchema.options.length - 1 - roleSchema.options.indexOf(role);

/** Whether `role` is `limit` or below it. */
export const roleAtMost = (role: Role, limit: Role): boolean => roleRank(role) <= roleRank(limit);

/** The roles above `limit`, most trusted first: what someone demoted to `limit` may no longer hand out. */
export const rolesAbove = (limit: Role): Role[] => roleSchema.options.filter((r) => !roleAtMost(r, limit));

/** What a request does inside a workspace; each API route declares one of these (or "public" / "signed-in"). */
export const workspaceActionSchema = z.enum([
  "workspace.read",
  "pipeline.preview",
  "run.start",
  "pipeline.edit",
  "file.edit",
  "connection.edit",
  "schedule.edit",
  "notification.edit",
  "member.manage",
  "token.manage",
  "audit.read",
]);
export type WorkspaceAction = z.infer<typeof workspaceActionSchema>;

/**
 * The roles allowed each action: the table of the design (docs/security.md). Kept here, framework-free, so the
 * server's policy and the web app's explanations ("Editors and owners can…") read the same table.
 */
export const rolesAllowed: Readonly<Record<WorkspaceAction, readonly Role[]>> = {
  "workspace.read": ["owner", "editor", "runner", "viewer"],
  "pipeline.preview": ["owner", "editor", "runner", "viewer"],
  "run.start": ["owner", "editor", "runner"],
  "pipeline.edit": ["owner", "editor"],
  "file.edit": ["owner", "editor"],
  "connection.edit": ["owner", "editor"],
  "schedule.edit": ["owner", "editor"],
  "notification.edit": ["owner", "editor"],
  "member.manage": ["owner"],
  "token.manage": ["owner"],
  "audit.read": ["owner"],
};

/** Whether `role` may do `action`. */
export const roleAllows = (role: Role, action: WorkspaceAction): boolean => rolesAllowed[action].includes(role);

/** Every action a role may do, in the table's order (what GET /api/me answers as `permissions`). */
export const permissionsOf = (role: Role): WorkspaceAction[] => workspaceActionSchema.options.filter((a) => roleAllows(role, a));
