import type { ConnectionRepository } from "../connections/connection.repository.ts";
import type { RunRepository } from "../runs/run.repository.ts";
import type { WorkspaceRepository } from "../workspaces/workspace.repository.ts";
import { openLineageDelivery, type DeliveryLimits } from "./openlineage-delivery.ts";
import { openLineageObserver } from "./openlineage-observer.ts";
import type { OpenLineageSettings } from "./openlineage-settings.ts";

export interface OpenLineageRuntimeDeps {
  settings: OpenLineageSettings;
  runs: Pick<RunRepository, "get" | "forExecution">;
  workspaces: Pick<WorkspaceRepository, "get">;
  connections: Pick<ConnectionRepository, "get">;
  version: string;
  log: (m: string) => void;
  limits?: Partial<DeliveryLimits> | undefined;
}

/** OpenLineage out, wired from the repositories: the observer the run worker is given, and how to stop it. */
export function startOpenLineage(d: OpenLineageRuntimeDeps) {
  const delivery = openLineageDelivery(d.settings, d.log, d.limits);
  const observer = openLineageObserver({
    settings: d.settings,
    delivery,
    run: async (workspaceId, runId) => (await d.runs.get(workspaceId, runId))?.summary ?? null,
    workspaceOf: async (runId) => (await d.runs.forExecution(runId)).pipeline.workspaceId,
    workspaceName: async (workspaceId) => (await d.workspaces.get(workspaceId))?.name ?? null,
    connectionAddress: async (workspaceId, connectionId) => {
      const c = await d.connections.get(workspaceId, connectionId);
      // An HTTP credential (settings.hosts) names no table.
      return c && "host" in c.settings ? { host: c.settings.host, port: c.settings.port, database: c.settings.database } : undefined;
    },
    version: d.version,
    log: d.log,
  });
  d.log(`OpenLineage: sending run events to ${new URL(d.settings.endpoint).host} (namespace ${d.settings.namespace})`);
  return {
    observer,
    /** After the worker has stopped: its last runs' events are built, then sent for at most timeoutMs in all. */
    async stop(timeoutMs = 3000) {
      const started = Date.now();
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([observer.idle(), new Promise((resolve) => (grace = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(grace);
      await delivery.stop(Math.max(100, timeoutMs - (Date.now() - started)));
    },
  };
}
