import type { Role } from "@sluice/model";

/** Who sent a request: a signed-in person (session cookie) or an API token. */
export type Caller =
  | { kind: "person"; userId: string; email: string; name: string; sessionId: string }
  | { kind: "token"; tokenId: string; name: string; workspaceId: string; role: Role };

/** What the one authorization middleware found out about a request, handed to its handler. */
export interface RequestAuth {
  caller: Caller | null;
  /** The workspace the request acts in, with the caller's role there; null on routes outside a workspace. */
  workspace: { id: string; name: string; role: Role } | null;
  /** The client's address, as recorded in the audit log. */
  address: string | null;
  /**
   * Whether the caller may still do what the request was let in for, asked again now: its token not revoked, its
   * session not ended, still a member with a role that allows the route's action. Answers that go on for long (a
   * run's event stream) ask it as they go, and end when it says no.
   */
  stillAllowed(): Promise<boolean>;
}

/** The workspace of a route that declared a workspace action; mountRoutes guarantees one. */
export function workspaceOf(auth: RequestAuth): string {
  if (!auth.workspace) throw new Error("bug: a workspace route ran without a workspace");
  return auth.workspace.id;
}
