import { describe, expect, it } from "vitest";
import type { PipelineGraph } from "@sluice/model";
import { openLineageObserver, type RecordedRun } from "./openlineage-observer.ts";
import type { RunEvent } from "./openlineage.types.ts";

/** The observer over a run whose recorded state the test sets, collecting what it hands to delivery. */
function observe() {
  const events: RunEvent[] = [];
  const recorded: RecordedRun = { pipelineName: "Orders", status: "running", error: null, startedAt: "2026-12-07T10:00:00.000Z", finishedAt: null };
  const observer = openLineageObserver({
    settings: { namespace: "sluice-test" },
    delivery: { emit: (e) => void events.push(e as RunEvent) },
    run: async () => ({ ...recorded }),
    workspaceOf: async () => "ws",
    workspaceName: async () => "Team",
    connectionAddress: async () => undefined,
    version: "0.0.0-test",
    log: (m) => expect.unreachable(m),
  });
  return { observer, events, recorded };
}

const plan = { graph: { formatVersion: 1, nodes: [], edges: [] } as unknown as PipelineGraph, env: { files: {}, connection: () => undefined } as never, params: {}, engine: "duckdb" as const };

describe("openLineageObserver", () => {
  // A source that dropped its connection while the worker described it fails the first attempt before any plan,
  // and the run is queued again: that attempt sent nothing, so the run's first event was the retry's RUNNING.
  it("opens a run with START when its first attempt was retried before it was planned", async () => {
    const { observer, events, recorded } = observe();
    observer.started({ id: "r1", workspaceId: "ws", attempt: 1 });
    recorded.status = "queued";
    observer.ended("r1");
    await observer.idle();
    observer.started({ id: "r1", workspaceId: "ws", attempt: 2 });
    recorded.status = "running";
    observer.planned("r1", plan);
    recorded.status = "succeeded";
    recorded.finishedAt = "2026-12-07T10:00:05.000Z";
    observer.ended("r1");
    await observer.idle();
    expect(events.map((e) => e.eventType)).toEqual(["START", "RUNNING", "COMPLETE"]);
  });

  it("opens and closes a run that failed for good before it was planned, and sends each event once for a planned one", async () => {
    const { observer, events, recorded } = observe();
    observer.started({ id: "r1", workspaceId: "ws", attempt: 1 });
    Object.assign(recorded, { status: "failed", error: "The pipeline is no longer valid", finishedAt: "2026-12-07T10:00:01.000Z" });
    observer.ended("r1");
    observer.started({ id: "r2", workspaceId: "ws", attempt: 1 });
    await observer.idle();
    observer.planned("r2", plan);
    recorded.status = "succeeded";
    observer.ended("r2");
    await observer.idle();
    expect(events.map((e) => [e.run.runId, e.eventType])).toEqual([
      ["r1", "START"],
      ["r1", "FAIL"],
      ["r2", "START"],
      ["r2", "COMPLETE"],
    ]);
  });
});
