import { rolesAllowed, type Me, type Role, type WorkspaceAction } from "@sluice/model";

/** Whether a control may be used, and when not, why, in words for the person looking at it. */
export type Permission = { allowed: true; reason: null } | { allowed: false; reason: string };

/** What each action lets people do, as the end of "Editors and owners can …". A control may say it more precisely. */
export const actionPhrases: Record<WorkspaceAction, string> = {
  "workspace.read": "see this workspace",
  "pipeline.preview": "preview data",
  "run.start": "start and cancel runs",
  "pipeline.edit": "change pipelines",
  "file.edit": "upload and delete files",
  "connection.edit": "change connections",
  "schedule.edit": "change schedules and triggers",
  "notification.edit": "change notifications",
  "member.manage": "manage members",
  "token.manage": "manage API tokens",
  "audit.read": "read the audit log",
};

const plural: Record<Role, string> = { owner: "owners", editor: "editors", runner: "runners", viewer: "viewers" };
const withArticle: Record<Role, string> = { owner: "an owner", editor: "an editor", runner: "a runner", viewer: "a viewer" };

/** "Only owners", "Editors and owners", "Runners, editors and owners": least trusted first, as people say it. */
export function whoMay(action: WorkspaceAction): string {
  const names = [...rolesAllowed[action]].reverse().map((r) => plural[r]);
  const text = names.length === 1 ? `only ${names[0]}` : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Whether the signed-in person may do `action` in the current workspace. The answer is the server's (`permissions`
 * of GET /api/me), which refuses anyway; the table only explains a refusal.
 */
export function can(me: Pick<Me, "workspace" | "permissions"> | undefined, action: WorkspaceAction, what: string = actionPhrases[action]): Permission {
  if (!me) return { allowed: false, reason: "Checking what you may do…" };
  if (me.permissions.includes(action)) return { allowed: true, reason: null };
  const you = me.workspace ? `you are ${withArticle[me.workspace.role]}` : "you are not a member of this workspace";
  return { allowed: false, reason: `${whoMay(action)} can ${what}; ${you}.` };
}
