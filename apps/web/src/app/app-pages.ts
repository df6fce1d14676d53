import type { ComponentType } from "react";
import type { WorkspaceAction } from "@sluice/model";
import { HomePage } from "../pages/home.page.tsx";
import { PipelinesPage } from "../pages/pipelines.page.tsx";
import { RunsPage } from "../pages/runs.page.tsx";
import { FilesPage } from "../pages/files.page.tsx";
import { ConnectionsPage } from "../pages/connections.page.tsx";
import { ApiTokensPage } from "../pages/api-tokens.page.tsx";
import { MembersPage } from "../pages/members.page.tsx";
import { AuditPage } from "../pages/audit.page.tsx";
import { NotificationsPage } from "../pages/notifications.page.tsx";
import { SignInPage } from "../pages/sign-in.page.tsx";
import { SetupPage } from "../pages/setup.page.tsx";
import { InvitePage } from "../pages/invite.page.tsx";

type Loaded = { Component: ComponentType };

/**
 * A page of the app. Adding one is one entry here; give it `nav` to list it in the left navigation, and `requires`
 * to list it only for the roles that may use it (the page itself still explains a refusal to whoever opens it).
 */
export type AppPage = { path: string; nav?: string; requires?: WorkspaceAction } & ({ Component: ComponentType } | { lazy: () => Promise<Loaded> });

export const appPages: AppPage[] = [
  { path: "/", nav: "Home", Component: HomePage },
  { path: "/pipelines", nav: "Pipelines", Component: PipelinesPage },
  { path: "/runs", nav: "Runs", Component: RunsPage },
  { path: "/files", nav: "Files", Component: FilesPage },
  { path: "/connections", nav: "Connections", Component: ConnectionsPage },
  // Loaded on demand: it brings React Flow with it.
  { path: "/lineage", nav: "Lineage", lazy: async () => ({ Component: (await import("../pages/lineage.page.tsx")).LineagePage }) },
  { path: "/notifications", nav: "Notifications", Component: NotificationsPage },
  { path: "/members", nav: "Members", Component: MembersPage },
  { path: "/tokens", nav: "API tokens", requires: "token.manage", Component: ApiTokensPage },
  { path: "/audit", nav: "Audit log", requires: "audit.read", Component: AuditPage },
  { path: "/runs/:id", lazy: async () => ({ Component: (await import("../pages/run.page.tsx")).RunPage }) },
  // Loaded on demand: the editor brings React Flow and the node catalog with it.
  { path: "/pipelines/:id", lazy: async () => ({ Component: (await import("../pages/pipeline-editor.page.tsx")).PipelineEditorPage }) },
];

/** Pages for people not signed in (see auth/return-to.ts): outside the layout, which needs a session. */
export const signedOutPages: AppPage[] = [
  { path: "/sign-in", Component: SignInPage },
  { path: "/setup", Component: SetupPage },
  { path: "/invite", Component: InvitePage },
];
