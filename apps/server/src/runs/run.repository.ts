import { NODE_RAN_IN, type CheckResult, type NodeRanIn, type NodeRunInfo, type RunEngine, type RunLogLine, type RunStatus, type RunSummary } from "@sluice/model";
import type { Db, Tx } from "../db/prisma.ts";
import type { Prisma } from "../generated/prisma/client.ts";

type RunRow = Prisma.RunGetPayload<{ include: { pipeline: { select: { name: true } } } }>;

const num = (v: bigint | null) => (v === null ? null : Number(v));

export function toRunSummary(r: RunRow): RunSummary {
  return {
    id: r.id,
    pipelineId: r.pipelineId,
    pipelineName: r.pipeline.name,
    versionNumber: r.versionNumber,
    status: r.status,
    trigger: r.trigger,
    attempt: r.attempt,
    error: r.error,
    rowsRead: num(r.rowsRead),
    rowsWritten: num(r.rowsWritten),
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
    durationMs: r.startedAt && r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
    cancelRequested: r.cancelRequestedAt !== null,
    backfill: r.backfillId && r.backfillSlot !== null ? { id: r.backfillId, slot: r.backfillSlot } : null,
  };
}

const withPipeline = { pipeline: { select: { name: true } } } as const;
const TERMINAL: RunStatus[] = ["succeeded", "failed", "cancelled"];

export function runRepository(db: Db) {
  return {
    /**
     * A queued run of the pipeline's version, or null when the pipeline is not in the workspace or has no such
     * version. Pass `tx` to write it together with its audit entry.
     */
    async create(
      workspaceId: string,
      input: {
        pipelineId: string;
        versionNumber: number;
        trigger: string;
        params?: Record<string, unknown> | undefined;
        /** A slot of a backfill: which, for which date, in which lane. */
        backfill?: { id: string; slot: string; lane: number } | undefined;
        /** The failed run this one resumes. */
        resumedFrom?: string | undefined;
        /** "Run from here": the node this run starts at (the rest is reused from resumedFrom). */
        fromNode?: string | undefined;
      },
      tx: Tx | Db = db,
    ) {
      const version = await tx.pipelineVersion.findFirst({
        where: { pipelineId: input.pipelineId, number: input.versionNumber, pipeline: { workspaceId } },
      });
      if (!version) return null;
      return tx.run.create({
        data: {
          pipelineId: input.pipelineId,
          versionId: version.id,
          versionNumber: input.versionNumber,
          trigger: input.trigger,
          ...(input.params ? { params: input.params as Prisma.InputJsonObject } : {}),
          ...(input.backfill ? { backfillId: input.backfill.id, backfillSlot: input.backfill.slot, backfillLane: input.backfill.lane } : {}),
          ...(input.resumedFrom ? { resumedFromId: input.resumedFrom } : {}),
          ...(input.fromNode ? { fromNodeId: input.fromNode } : {}),
        },
        include: withPipeline,
      });
    },

    setJob: (id: string, jobId: string) => db.run.update({ where: { id }, data: { jobId } }),

    /** A run of a pipeline in the workspace, with its nodes; another workspace's run is not found. */
    async get(workspaceId: string, id: string) {
      const r = await db.run.findFirst({
        where: { id, pipeline: { workspaceId } },
        include: { ...withPipeline, nodes: { orderBy: { startedAt: "asc" } }, engineConnection: { select: { id: true, name: true } } },
      });
      if (!r) return null;
      const engine: RunEngine | null =
        r.engine === "duckdb" || r.engine === "database" ? { engine: r.engine, connection: r.engineConnection, reason: r.engineReason ?? "" } : null;
      return { summary: toRunSummary(r), engine, nodes: r.nodes.map(toNodeRun), params: (r.params ?? null) as Record<string, unknown> | null, raw: r };
    },

    /** Where the run executes, recorded as it starts (an attempt that retries records it again). */
    setEngine: (id: string, engine: { engine: RunEngine["engine"]; connectionId: string | null; reason: string }) =>
      db.run.update({ where: { id }, data: { engine: engine.engine, engineConnectionId: engine.connectionId, engineReason: engine.reason.slice(0, 2000) } }),

    /** What a cancellation's audit entry and the queue need, read in the cancelling transaction. */
    forCancel: (id: string, tx: Tx | Db = db) =>
      tx.run.findUniqueOrThrow({ where: { id }, select: { jobId: true, versionNumber: true, pipeline: { select: { name: true } } } }),

    /** The worker's view of a delivered run: whether it is still queued, and whose it is. */
    queueState: (id: string) => db.run.findUnique({ where: { id }, select: { pipelineId: true, status: true, backfillId: true, backfillLane: true } }),

    /** A claimed run with what executing it takes: the version it is pinned to and its pipeline's workspace. */
    forExecution: (id: string) =>
      db.run.findUniqueOrThrow({ where: { id }, include: { version: true, pipeline: { select: { workspaceId: true } } } }),

    /** The finished runs of one version on DuckDB, newest first, with how each node ended: what "run from here" may reuse. */
    finishedOfVersion: (pipelineId: string, versionNumber: number, take = 20) =>
      db.run.findMany({
        where: { pipelineId, versionNumber, status: { in: ["succeeded", "failed", "cancelled"] }, OR: [{ engine: null }, { engine: { not: "database" } }] },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take,
        select: { id: true, params: true, nodes: { select: { nodeId: true, status: true } } },
      }),

    /** How each node of a run ended, with its rows: what resuming it reuses. */
    nodeOutcomes: (runId: string) => db.nodeRun.findMany({ where: { runId }, select: { nodeId: true, status: true, rowsOut: true } }),

    /** A run of the workspace with the graph of the version it ran and how each node ended: what reading back a sink needs. */
    forReadback: (workspaceId: string, id: string) =>
      db.run.findFirst({
        where: { id, pipeline: { workspaceId } },
        select: { status: true, versionNumber: true, version: { select: { graph: true } }, nodes: { select: { nodeId: true, status: true } } },
      }),

    /** Whether the run exists in the workspace (cheaper than get when only that matters). */
    async exists(workspaceId: string, id: string) {
      return (await db.run.count({ where: { id, pipeline: { workspaceId } } })) > 0;
    },

    async list(workspaceId: string, q: { pipelineId?: string | undefined; status?: RunStatus | undefined; finishedAfter?: string | undefined; limit: number; offset: number }) {
      const where = {
        pipeline: { workspaceId },
        ...(q.pipelineId ? { pipelineId: q.pipelineId } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.finishedAfter ? { finishedAt: { gte: new Date(q.finishedAfter) } } : {}),
      };
      const [rows, total] = await Promise.all([
        db.run.findMany({ where, include: withPipeline, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: q.limit, skip: q.offset }),
        db.run.count({ where }),
      ]);
      return { runs: rows.map(toRunSummary), total };
    },

    /** Claims a queued run for one worker; returns null when it was cancelled, finished or claimed already. */
    async claim(id: string, workerId: string) {
      const rows = await db.$queryRaw<{ attempt: number }[]>`
        UPDATE runs SET status = 'running', attempt = attempt + 1, started_at = now(), worker_id = ${workerId}, heartbeat_at = now(), error = NULL
        WHERE id = ${id}::uuid AND status = 'queued' AND cancel_requested_at IS NULL
        RETURNING attempt`;
      return rows[0]?.attempt ?? null;
    },

    /** Heartbeat; tells the worker whether someone asked to cancel. */
    async heartbeat(id: string, workerId: string): Promise<{ cancelRequested: boolean; stillOurs: boolean }> {
      const rows = await db.$queryRaw<{ cancel: boolean }[]>`
        UPDATE runs SET heartbeat_at = now() WHERE id = ${id}::uuid AND worker_id = ${workerId} AND status = 'running'
        RETURNING cancel_requested_at IS NOT NULL AS cancel`;
      const row = rows[0];
      return { cancelRequested: row?.cancel ?? false, stillOurs: row !== undefined };
    },

    /**
     * Ends a run; only the worker that holds it may, and only once. The end is the database's clock, as the start
     * (claim) is: a worker whose clock is off would otherwise lengthen, shorten or even reverse the run's duration.
     */
    async finish(id: string, workerId: string, outcome: { status: RunStatus; error?: string | null; rowsRead?: number; rowsWritten?: number }) {
      const rowsRead = outcome.rowsRead === undefined ? null : BigInt(outcome.rowsRead);
      const rowsWritten = outcome.rowsWritten === undefined ? null : BigInt(outcome.rowsWritten);
      const count = await db.$executeRaw`
        UPDATE runs SET status = ${outcome.status}::"RunStatus", error = ${outcome.error ?? null}, finished_at = now(),
          rows_read = COALESCE(${rowsRead}::bigint, rows_read), rows_written = COALESCE(${rowsWritten}::bigint, rows_written)
        WHERE id = ${id}::uuid AND worker_id = ${workerId} AND status = 'running'`;
      return count > 0;
    },

    /** Back to the queue for another attempt (transient failures). */
    async requeue(id: string, workerId: string, error: string) {
      const { count } = await db.run.updateMany({ where: { id, workerId, status: "running" }, data: { status: "queued", error, workerId: null } });
      return count > 0;
    },

    /** Fails a run that requeue() put back but that could not be queued again: otherwise it would wait for no job. */
    async failRequeued(id: string, error: string) {
      const { count } = await db.run.updateMany({ where: { id, status: "queued", workerId: null }, data: { status: "failed", error, finishedAt: new Date() } });
      return count > 0;
    },

    /**
     * Asks a run of the workspace to stop: a queued one is cancelled at once, a running one is flagged for its
     * worker. Asking again while the worker winds down changes nothing ("already_requested"). Pass `tx` to write
     * the change together with its audit entry.
     */
    async requestCancel(workspaceId: string, id: string, tx: Tx | Db = db): Promise<"cancelled" | "requested" | "already_requested" | "finished" | "not_found"> {
      const inWorkspace = { id, pipeline: { workspaceId } };
      const queued = await tx.run.updateMany({
        where: { ...inWorkspace, status: "queued" },
        data: { status: "cancelled", cancelRequestedAt: new Date(), finishedAt: new Date(), error: "Cancelled before it started." },
      });
      if (queued.count) return "cancelled";
      const running = await tx.run.updateMany({ where: { ...inWorkspace, status: "running", cancelRequestedAt: null }, data: { cancelRequestedAt: new Date() } });
      if (running.count) return "requested";
      const exists = await tx.run.findFirst({ where: inWorkspace, select: { status: true } });
      if (!exists) return "not_found";
      return exists.status === "running" ? "already_requested" : "finished";
    },

    /** Runs executing somewhere now, with their attempt: whose work folders a sweep must leave alone. */
    runningAttempts: () => db.run.findMany({ where: { status: "running" }, select: { id: true, attempt: true } }),

    /** Fails runs whose worker stopped sending heartbeats (killed, lost its machine). */
    async reapLost(staleSeconds: number) {
      return db.$queryRaw<{ id: string; job_id: string | null }[]>`
        UPDATE runs SET status = 'failed', finished_at = now(),
          error = 'worker lost: the process running this run stopped responding (killed or crashed); no target was changed by the unfinished load'
        WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => ${staleSeconds})
        RETURNING id, job_id`;
    },

    async upsertNode(runId: string, node: NodeRunInfo & { startedAt?: Date; finishedAt?: Date }) {
      const data = {
        status: node.status,
        rowsIn: node.rowsIn === null ? null : BigInt(node.rowsIn),
        rowsOut: node.rowsOut === null ? null : BigInt(node.rowsOut),
        durationMs: node.durationMs,
        error: node.error,
        ...(node.ranIn ? { ranIn: node.ranIn } : {}),
        ...(node.startedAt ? { startedAt: node.startedAt } : {}),
        ...(node.finishedAt ? { finishedAt: node.finishedAt } : {}),
      };
      await db.nodeRun.upsert({ where: { runId_nodeId: { runId, nodeId: node.nodeId } }, create: { runId, nodeId: node.nodeId, ...data }, update: data });
    },

    /** A check node's results; a retried attempt replaces what an earlier one stored. */
    async saveChecks(runId: string, nodeId: string, results: CheckResult[]) {
      await db.$transaction([
        db.runCheck.deleteMany({ where: { runId, nodeId } }),
        db.runCheck.createMany({
          data: results.map((r) => ({
            runId,
            nodeId,
            ruleIndex: r.ruleIndex,
            rule: r.rule.slice(0, 1000),
            kind: r.kind,
            severity: r.severity,
            passed: r.passed,
            failingRows: BigInt(r.failingRows),
            rowsChecked: BigInt(r.rowsChecked),
            message: r.message,
            samples: samplesToStore(r.samples),
          })),
        }),
      ]);
    },

    async checks(runId: string): Promise<CheckResult[]> {
      const rows = await db.runCheck.findMany({ where: { runId }, orderBy: [{ nodeId: "asc" }, { ruleIndex: "asc" }] });
      return rows.map((r) => ({
        nodeId: r.nodeId,
        ruleIndex: r.ruleIndex,
        rule: r.rule,
        kind: r.kind,
        severity: r.severity === "warn" ? "warn" : "fail",
        passed: r.passed,
        failingRows: Number(r.failingRows),
        rowsChecked: Number(r.rowsChecked),
        message: r.message,
        samples: samplesFromStore(r.samples),
      }));
    },

    log: (runId: string, level: RunLogLine["level"], message: string, nodeId?: string) =>
      db.runLog.create({ data: { runId, level, message: message.slice(0, 10_000), nodeId: nodeId ?? null } }),

    async logsAfter(runId: string, afterId: number): Promise<RunLogLine[]> {
      const rows = await db.runLog.findMany({ where: { runId, id: { gt: BigInt(afterId) } }, orderBy: { id: "asc" }, take: 500 });
      return rows.map((l) => ({
        id: Number(l.id),
        at: l.at.toISOString(),
        level: l.level as RunLogLine["level"],
        nodeId: l.nodeId,
        message: l.message,
      }));
    },

    isTerminal: (s: RunStatus) => TERMINAL.includes(s),
  };
}

/**
 * Sample rows as columns and value lists: PostgreSQL's jsonb keeps object keys in its own order (shortest first),
 * which would shuffle the columns of every sample row.
 */
function samplesToStore(rows: Record<string, unknown>[]): Prisma.InputJsonObject {
  const columns = rows[0] ? Object.keys(rows[0]) : [];
  return { columns, rows: rows.map((r) => columns.map((c) => (r[c] ?? null) as Prisma.InputJsonValue)) };
}

function samplesFromStore(stored: unknown): Record<string, unknown>[] {
  const s = stored as { columns?: unknown; rows?: unknown };
  if (!Array.isArray(s.columns) || !Array.isArray(s.rows)) return [];
  const columns = s.columns as string[];
  return (s.rows as unknown[][]).map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? null])));
}

const ranIn = (v: string | null): NodeRanIn | null => (NODE_RAN_IN as readonly string[]).includes(v ?? "") ? (v as NodeRanIn) : null;

function toNodeRun(n: { nodeId: string; status: RunStatus; rowsIn: bigint | null; rowsOut: bigint | null; durationMs: number | null; error: string | null; ranIn: string | null }): NodeRunInfo {
  return { nodeId: n.nodeId, ranIn: ranIn(n.ranIn), status: n.status, rowsIn: num(n.rowsIn), rowsOut: num(n.rowsOut), durationMs: n.durationMs, error: n.error };
}

export type RunRepository = ReturnType<typeof runRepository>;
