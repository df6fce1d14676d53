import type { ComponentType } from "react";
import { HomePage } from "../pages/home.page.tsx";
import { PipelinesPage } from "../pages/pipelines.page.tsx";
import { RunsPage } from "../pages/runs.page.tsx";
import { FilesPage } from "../pages/files.page.tsx";
import { ConnectionsPage } from "../pages/connections.page.tsx";
import { ApiTokensPage } from "../pages/api-tokens.page.tsx";

type Loaded = { Component: ComponentType };

/** A page of the app. Adding one is one entry here; give it `nav` to list it in the left navigation. */
export type AppPage = { path: string; nav?: string } & ({ Component: ComponentType } | { lazy: () => Promise<Loaded> });

export const appPages: AppPage[] = [
  { path: "/", nav: "Home", Component: HomePage },
  { path: "/pipelines", nav: "Pipelines", Component: PipelinesPage },
  { path: "/runs", nav: "Runs", Component: RunsPage },
  { path: "/files", nav: "Files", Component: FilesPage },
  { path: "/connections", nav: "Connections", Component: ConnectionsPage },
  { path: "/tokens", nav: "API tokens", Component: ApiTokensPage },
  { path: "/runs/:id", lazy: async () => ({ Component: (await import("../pages/run.page.tsx")).RunPage }) },
  // Loaded on demand: the editor brings React Flow and the node catalog with it.
  { path: "/pipelines/:id", lazy: async () => ({ Component: (await import("../pages/pipeline-editor.page.tsx")).PipelineEditorPage }) },
];
