import type { ConnectionAddress } from "@sluice/pipeline";
import type { RunObserver, RunPlan } from "../runs/run-observer.ts";
import type { EventType } from "./openlineage.types.ts";
import type { OpenLineageSettings } from "./openlineage-settings.ts";
import type { OpenLineageDelivery } from "./openlineage-delivery.ts";
import { connectionIdsOf, runDatasets, type RunDatasets } from "./run-datasets.ts";
import { jobName, producerUri, runEvent } from "./run-event.ts";

/** A run as recorded, read back when an attempt starts and ends (the repository's summary has these). */
export interface RecordedRun {
  pipelineName: string;
  status: string;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface OpenLineageObserverDeps {
  settings: Pick<OpenLineageSettings, "namespace">;
  delivery: Pick<OpenLineageDelivery, "emit">;
  run(workspaceId: string, runId: string): Promise<RecordedRun | null>;
  /** The workspace of a run known only by id (one another process's reaper failed). */
  workspaceOf(runId: string): Promise<string | null>;
  workspaceName(workspaceId: string): Promise<string | null>;
  /** A PostgreSQL connection's host, port and database, to name its tables (never its user or password). */
  connectionAddress(workspaceId: string, connectionId: string): Promise<ConnectionAddress | undefined>;
  version: string;
  log: (m: string) => void;
}

interface Attempt {
  workspaceId: string;
  attempt: number;
  /** Each step waits for the one before, so a run's events are emitted START first, in order. */
  chain: Promise<void>;
  job?: { namespace: string; name: string };
  datasets?: RunDatasets;
  opened: boolean;
}

const NONE: RunDatasets = { inputs: [], outputs: [] };
const CLOSING: Record<string, EventType | undefined> = { succeeded: "COMPLETE", failed: "FAIL", cancelled: "ABORT" };

/**
 * OpenLineage events for every run the worker executes, on either engine: START when the first attempt has been
 * planned (RUNNING for a retry's attempt), then COMPLETE, FAIL or ABORT once its outcome is recorded, each with the
 * run's input and output datasets. Building them happens off the run's path; a mistake is logged and the run goes on.
 */
export function openLineageObserver(d: OpenLineageObserverDeps): RunObserver & { lost(runId: string): void; idle(): Promise<void> } {
  const producer = producerUri(d.version);
  const attempts = new Map<string, Attempt>();
  /** Work on runs this process did not execute (lost()), waited for by idle() too. */
  const others = new Set<Promise<void>>();

  const step = (runId: string, what: string, work: (a: Attempt) => Promise<void>) => {
    const a = attempts.get(runId);
    if (!a) return;
    a.chain = a.chain.then(() => work(a)).catch((e: unknown) => d.log(`OpenLineage: ${what} of run ${runId} failed: ${e instanceof Error ? e.message : String(e)}`));
  };

  const emit = (runId: string, a: Attempt, eventType: EventType, eventTime: Date, error?: string | null) => {
    if (!a.job) return;
    d.delivery.emit(runEvent({ eventType, eventTime, runId, job: a.job, datasets: a.datasets ?? NONE, error, producer, version: d.version }));
  };

  const opening = (a: Attempt): EventType => (a.attempt > 1 ? "RUNNING" : "START");

  return {
    started(run) {
      attempts.set(run.id, { workspaceId: run.workspaceId, attempt: run.attempt, chain: Promise.resolve(), opened: false });
      step(run.id, "describing the job", async (a) => {
        const [recorded, workspace] = await Promise.all([d.run(run.workspaceId, run.id), d.workspaceName(run.workspaceId)]);
        if (recorded) a.job = { namespace: d.settings.namespace, name: jobName(workspace ?? run.workspaceId, recorded.pipelineName) };
      });
    },

    planned(runId, plan: RunPlan) {
      step(runId, "naming the datasets", async (a) => {
        const addresses = new Map<string, ConnectionAddress>();
        for (const id of connectionIdsOf(plan)) {
          const address = await d.connectionAddress(a.workspaceId, id);
          if (address) addresses.set(id, address);
        }
        a.datasets = runDatasets(plan, addresses, producer);
        const recorded = await d.run(a.workspaceId, runId);
        emit(runId, a, opening(a), new Date(recorded?.startedAt ?? Date.now()));
        a.opened = true;
      });
    },

    ended(runId) {
      step(runId, "closing the run", async (a) => {
        const recorded = await d.run(a.workspaceId, runId);
        const closing = recorded ? CLOSING[recorded.status] : undefined;
        // An attempt that never got as far as a plan (an invalid pipeline, a source that dropped its connection while
        // it was described) still opens the run: otherwise a retried run's first event would be its second attempt's
        // RUNNING, with no START at all.
        if (!a.opened) emit(runId, a, opening(a), new Date(recorded?.startedAt ?? Date.now()));
        // Queued again for a retry: the next attempt's RUNNING and its outcome follow.
        if (closing) {
          emit(runId, a, closing, new Date(recorded?.finishedAt ?? Date.now()), closing === "COMPLETE" ? undefined : recorded?.error);
        }
      });
      const a = attempts.get(runId);
      if (a) void a.chain.then(() => attempts.get(runId) === a && attempts.delete(runId));
    },

    /**
     * A run whose worker was lost (killed, crashed) and that this process's reaper marked failed: its FAIL, which the
     * dead worker could not send, without datasets (its START named them).
     */
    lost(runId) {
      const work = (async () => {
        const workspaceId = await d.workspaceOf(runId);
        if (!workspaceId) return;
        const [recorded, workspace] = await Promise.all([d.run(workspaceId, runId), d.workspaceName(workspaceId)]);
        if (recorded?.status !== "failed") return;
        const job = { namespace: d.settings.namespace, name: jobName(workspace ?? workspaceId, recorded.pipelineName) };
        const eventTime = new Date(recorded.finishedAt ?? Date.now());
        d.delivery.emit(runEvent({ eventType: "FAIL", eventTime, runId, job, datasets: NONE, error: recorded.error, producer, version: d.version }));
      })().catch((e: unknown) => d.log(`OpenLineage: closing lost run ${runId} failed: ${e instanceof Error ? e.message : String(e)}`));
      others.add(work);
      void work.finally(() => others.delete(work));
    },

    /** Resolves once every event of the attempts so far has been handed to delivery (before it is flushed at shutdown). */
    async idle() {
      await Promise.all([...[...attempts.values()].map((a) => a.chain), ...others]);
    },
  };
}
