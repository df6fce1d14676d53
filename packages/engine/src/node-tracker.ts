import type { NodeRanIn } from "@sluice/model";
import type { ExecutionEvent, NodeStats, NodeStatus, NodeStorage } from "./execution-events.ts";

interface NodeState extends NodeStats {
  startedAt: Date;
  ranIn: NodeRanIn | undefined;
}

/** Keeps each node's status, counts and timing, and tells the caller about every change as it happens. */
export class NodeTracker {
  private readonly nodes = new Map<string, NodeState>();

  constructor(private readonly emit: (e: ExecutionEvent) => void | Promise<void>) {}

  /** `ranIn`: where the node runs when not where the whole run does (a source staged into the database). */
  async start(nodeId: string, label: string, storage: NodeStorage, rowsIn: number | null, ranIn?: NodeRanIn): Promise<void> {
    const state: NodeState = { nodeId, label, storage, status: "running", rowsIn, rowsOut: null, durationMs: null, error: null, startedAt: new Date(), ranIn };
    this.nodes.set(nodeId, state);
    await this.emit({ type: "node", nodeId, status: "running", rowsIn, rowsOut: null, durationMs: null, error: null, startedAt: state.startedAt, ...(ranIn ? { ranIn } : {}) });
  }

  async finish(nodeId: string, rowsOut: number | null): Promise<void> {
    await this.end(nodeId, "succeeded", { rowsOut });
  }

  async fail(nodeId: string, status: Exclude<NodeStatus, "running" | "succeeded">, error: string | null, code?: string): Promise<void> {
    await this.end(nodeId, status, { error, ...(code ? { code } : {}) });
  }

  /** Ends every node still running, e.g. after a cancel or a failure elsewhere. */
  async endUnfinished(status: "failed" | "cancelled", error: string | null): Promise<void> {
    for (const n of this.nodes.values()) if (n.status === "running") await this.end(n.nodeId, status, { error });
  }

  isRunning(nodeId: string): boolean {
    return this.nodes.get(nodeId)?.status === "running";
  }

  stats(): NodeStats[] {
    return [...this.nodes.values()].map(({ startedAt: _s, ranIn: _r, ...stats }) => stats);
  }

  private async end(nodeId: string, status: NodeStatus, o: { rowsOut?: number | null; error?: string | null; code?: string }): Promise<void> {
    const n = this.nodes.get(nodeId);
    if (!n || n.status !== "running") return;
    const finishedAt = new Date();
    n.status = status;
    n.rowsOut = o.rowsOut ?? null;
    n.error = o.error ?? null;
    n.durationMs = finishedAt.getTime() - n.startedAt.getTime();
    await this.emit({
      type: "node",
      nodeId,
      status,
      rowsIn: n.rowsIn,
      rowsOut: n.rowsOut,
      durationMs: n.durationMs,
      error: n.error,
      ...(o.code ? { code: o.code } : {}),
      startedAt: n.startedAt,
      finishedAt,
      ...(n.ranIn ? { ranIn: n.ranIn } : {}),
    });
  }
}
