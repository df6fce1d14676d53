import type { Role } from "@sluice/model";

/** What each role lets a person do, in the words of the invitation and members pages (docs/security.md has the table). */
export const roleDescriptions: Record<Role, string> = {
  owner: "Everything an editor can, plus members, roles, API tokens and the audit log.",
  editor: "Changes pipelines, files, connections and schedules, and runs pipelines.",
  runner: "Starts and cancels runs, and reads everything.",
  viewer: "Opens pipelines, runs and previews; changes nothing.",
};

export const roleLabels: Record<Role, string> = { owner: "Owner", editor: "Editor", runner: "Runner", viewer: "Viewer" };
