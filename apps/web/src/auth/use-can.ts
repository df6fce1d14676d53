import type { WorkspaceAction } from "@sluice/model";
import { useMe } from "../api/auth.queries.ts";
import { can, type Permission } from "./can.ts";

/** Whether the signed-in person may do `action` here, and why not: `what` names it for the reason ("save pipelines"). */
export function useCan(action: WorkspaceAction, what?: string): Permission {
  return can(useMe().data, action, what);
}
