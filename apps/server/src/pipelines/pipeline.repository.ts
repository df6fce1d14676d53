import {
  emptyGraph,
  type MigrationNote,
  type PipelineDetail,
  type PipelineGraph,
  type PipelineSummary,
  type PipelineVersion,
  type PipelineVersionSummary,
} from "@sluice/model";
import { canonicalizeGraph } from "@sluice/pipeline";
import { loadRequestGraph, loadStoredGraph } from "./load-graph.ts";
import type { Db, Tx } from "../db/prisma.ts";
import { Prisma, type RunStatus } from "../generated/prisma/client.ts";

type PipelineRow = Prisma.PipelineGetPayload<object>;
type LastRun = { pipeline_id: string; id: string; status: RunStatus; created_at: Date };

/**
 * Graphs are loaded on every read (a row edited by hand must not reach the engine unchecked; one saved with older node
 * settings is migrated, with notes, the row itself left as stored) and come back in canonical key order, since jsonb
 * does not keep the order they were written in.
 */
const readGraph = (json: unknown, where: string): { graph: PipelineGraph; migrated?: MigrationNote[] } => {
  const { graph, migrated } = loadStoredGraph(json, where);
  return migrated.length ? { graph, migrated } : { graph };
};

/**
 * Stored through JSON so the column holds exactly what a pipeline file would, with every node at its type's current
 * version (`typeVersion`): loading again is a no-op for a graph already loaded, and stamps the versions on one that a
 * caller built in code.
 */
const graphJson = (graph: PipelineGraph) => JSON.parse(JSON.stringify(canonicalizeGraph(loadRequestGraph(graph).graph))) as Prisma.InputJsonObject;

/**
 * The newest run of each of the workspace's pipelines (of `pipelineId` alone when given), one index probe per pipeline
 * (runs by pipeline_id, created_at). Not a Prisma `include: { runs: { take: 1 } }`: Prisma reads every run of the
 * pipelines for that and keeps the first in memory, so a list of pipelines cost as much as their whole run history.
 */
async function lastRuns(db: Db, workspaceId: string, pipelineId?: string): Promise<Map<string, LastRun>> {
  const rows = await db.$queryRaw<LastRun[]>`
    SELECT p.id AS pipeline_id, r.id, r.status::text AS status, r.created_at
    FROM pipelines p
    CROSS JOIN LATERAL (SELECT id, status, created_at FROM runs WHERE pipeline_id = p.id ORDER BY created_at DESC, id DESC LIMIT 1) r
    WHERE p.workspace_id = ${workspaceId}::uuid ${pipelineId === undefined ? Prisma.empty : Prisma.sql`AND p.id = ${pipelineId}::uuid`}`;
  return new Map(rows.map((r) => [r.pipeline_id, r]));
}

function toSummary(p: PipelineRow, run: LastRun | undefined): PipelineSummary {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    currentVersion: p.currentVersion,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    lastRun: run ? { id: run.id, status: run.status, createdAt: run.created_at.toISOString() } : null,
  };
}

export type UpdateOutcome =
  | { kind: "updated"; pipeline: PipelineDetail }
  | { kind: "not_found" }
  | { kind: "conflict"; currentVersion: number };

/** What a write stored: the audit entry names the pipeline and the version it made. */
export interface WrittenVersion {
  id: string;
  name: string;
  version: number;
}

/**
 * Records a change in the audit log inside the change's own transaction (see audit.repository.ts), so the entry is
 * written exactly when the change is: a refused or failed write leaves no entry.
 */
export type AuditHook<T> = (tx: Tx, written: T) => Promise<void>;

export interface VersionContent {
  name: string;
  description: string;
  graph: PipelineGraph;
  message: string;
}

/** One write of an import: a new pipeline, or a new version of one on top of the version the import compared with. */
export type ImportWrite =
  | { kind: "create"; name: string; description: string; graph: PipelineGraph; message: string }
  | { kind: "update"; id: string; baseVersion: number; content: VersionContent };

export type ImportOutcome =
  | { kind: "imported"; written: { id: string; version: number }[] }
  /** `writes[index]`'s pipeline changed (or went) since it was compared; nothing at all was written. */
  | { kind: "conflict"; index: number };

/** Rolls back an import's transaction when one of its pipelines changed meanwhile. */
class ImportConflict extends Error {
  constructor(readonly index: number) {
    super("a pipeline changed while importing");
  }
}

/**
 * Pipelines belong to a workspace: every method takes the workspace id first, and a pipeline of another workspace is
 * not found (null, "not_found"), exactly as one that does not exist, so its id cannot be probed.
 */
export function pipelineRepository(db: Db) {
  async function get(workspaceId: string, id: string): Promise<PipelineDetail | null> {
    const p = await db.pipeline.findFirst({ where: { id, workspaceId } });
    if (!p) return null;
    const run = (await lastRuns(db, workspaceId, id)).get(id);
    const v = await db.pipelineVersion.findUniqueOrThrow({
      where: { pipelineId_number: { pipelineId: id, number: p.currentVersion } },
    });
    return { ...toSummary(p, run), ...readGraph(v.graph, `Version ${v.number} of pipeline "${p.name}"`) };
  }

  /** Writes a new version on top of `baseVersion`, or reports who got there first. */
  async function commitVersion(
    workspaceId: string,
    id: string,
    baseVersion: number,
    content: VersionContent,
    audit: AuditHook<WrittenVersion> | undefined,
  ): Promise<UpdateOutcome> {
    const outcome = await db.$transaction((tx) => commitIn(tx, workspaceId, id, baseVersion, content, audit));
    if (outcome.kind !== "ok") return outcome;
    return { kind: "updated", pipeline: (await get(workspaceId, id))! };
  }

  /** The body of commitVersion, in a transaction the caller holds. */
  async function commitIn(tx: Tx, workspaceId: string, id: string, baseVersion: number, content: VersionContent, audit: AuditHook<WrittenVersion> | undefined) {
    const { count } = await tx.pipeline.updateMany({
      where: { id, workspaceId, currentVersion: baseVersion },
      data: { currentVersion: baseVersion + 1, name: content.name, description: content.description },
    });
    if (count === 0) {
      const current = await tx.pipeline.findFirst({ where: { id, workspaceId }, select: { currentVersion: true } });
      return current ? ({ kind: "conflict", currentVersion: current.currentVersion } as const) : ({ kind: "not_found" } as const);
    }
    await tx.pipelineVersion.create({
      data: { pipelineId: id, number: baseVersion + 1, ...content, graph: graphJson(content.graph) },
    });
    await audit?.(tx, { id, name: content.name, version: baseVersion + 1 });
    return { kind: "ok" } as const;
  }

  /** The body of create, in a transaction the caller holds; the new pipeline's id. */
  async function createIn(
    tx: Tx,
    workspaceId: string,
    input: { name: string; description: string; graph?: PipelineGraph | undefined; message?: string },
    audit: AuditHook<WrittenVersion> | undefined,
  ): Promise<string> {
    const graph = input.graph ?? emptyGraph();
    const p = await tx.pipeline.create({
      data: {
        workspaceId,
        name: input.name,
        description: input.description,
        currentVersion: 1,
        versions: {
          create: { number: 1, name: input.name, description: input.description, graph: graphJson(graph), message: input.message ?? "Created" },
        },
      },
    });
    await audit?.(tx, { id: p.id, name: p.name, version: 1 });
    return p.id;
  }

  return {
    get,

    async list(workspaceId: string): Promise<PipelineSummary[]> {
      const rows = await db.pipeline.findMany({ where: { workspaceId }, orderBy: [{ updatedAt: "desc" }, { id: "asc" }] });
      const runs = await lastRuns(db, workspaceId);
      return rows.map((p) => toSummary(p, runs.get(p.id)));
    },

    async create(
      workspaceId: string,
      input: { name: string; description: string; graph?: PipelineGraph | undefined; message?: string },
      audit?: AuditHook<WrittenVersion>,
    ) {
      const id = await db.$transaction((tx) => createIn(tx, workspaceId, input, audit));
      return (await get(workspaceId, id))!;
    },

    /**
     * Every write of an import in one transaction, so an import is saved whole or not at all: when a pipeline it
     * updates changed (or was deleted) since the import compared with it, or any write fails, nothing is kept.
     */
    async importAll(workspaceId: string, writes: ImportWrite[], audit?: AuditHook<WrittenVersion>): Promise<ImportOutcome> {
      try {
        const written = await db.$transaction(
          async (tx) => {
            const done: { id: string; version: number }[] = [];
            for (const [index, w] of writes.entries()) {
              if (w.kind === "create") {
                done.push({ id: await createIn(tx, workspaceId, w, audit), version: 1 });
              } else {
                const r = await commitIn(tx, workspaceId, w.id, w.baseVersion, w.content, audit);
                if (r.kind !== "ok") throw new ImportConflict(index);
                done.push({ id: w.id, version: w.baseVersion + 1 });
              }
            }
            return done;
          },
          // Up to 200 pipelines of up to 500 nodes each: more than the default 5 s may pass.
          { maxWait: 10_000, timeout: 120_000 },
        );
        return { kind: "imported", written };
      } catch (e) {
        if (e instanceof ImportConflict) return { kind: "conflict", index: e.index };
        throw e;
      }
    },

    async update(
      workspaceId: string,
      id: string,
      input: { baseVersion: number; name?: string | undefined; description?: string | undefined; graph?: PipelineGraph | undefined; message?: string | undefined },
      audit?: AuditHook<WrittenVersion>,
    ): Promise<UpdateOutcome> {
      const current = await get(workspaceId, id);
      if (!current) return { kind: "not_found" };
      return commitVersion(
        workspaceId,
        id,
        input.baseVersion,
        {
          name: input.name ?? current.name,
          description: input.description ?? current.description,
          graph: input.graph ?? current.graph,
          message: input.message ?? "",
        },
        audit,
      );
    },

    async restore(
      workspaceId: string,
      id: string,
      n: number,
      input: { baseVersion?: number | undefined; message?: string | undefined },
      audit?: AuditHook<WrittenVersion>,
    ) {
      const p = await db.pipeline.findFirst({ where: { id, workspaceId }, select: { currentVersion: true } });
      if (!p) return { kind: "not_found" } as const;
      const v = await db.pipelineVersion.findUnique({ where: { pipelineId_number: { pipelineId: id, number: n } } });
      if (!v) return { kind: "version_not_found" } as const;
      return commitVersion(
        workspaceId,
        id,
        input.baseVersion ?? p.currentVersion,
        { name: v.name, description: v.description, graph: readGraph(v.graph, `Version ${n}`).graph, message: input.message ?? `Restored version ${n}` },
        audit,
      );
    },

    async remove(workspaceId: string, id: string, audit?: AuditHook<{ id: string; name: string }>): Promise<"deleted" | "not_found" | "running"> {
      return db.$transaction(async (tx) => {
        const p = await tx.pipeline.findFirst({ where: { id, workspaceId }, select: { name: true } });
        if (!p) return "not_found";
        const running = await tx.run.count({ where: { pipelineId: id, status: "running" } });
        if (running > 0) return "running";
        const { count } = await tx.pipeline.deleteMany({ where: { id, workspaceId } });
        if (!count) return "not_found";
        await audit?.(tx, { id, name: p.name });
        return "deleted";
      });
    },

    async versions(workspaceId: string, id: string): Promise<PipelineVersionSummary[] | null> {
      const exists = await db.pipeline.count({ where: { id, workspaceId } });
      if (!exists) return null;
      // Never the graphs: a list of versions is a few short fields each, however large the graphs saved.
      const rows = await db.pipelineVersion.findMany({
        where: { pipelineId: id },
        orderBy: { number: "desc" },
        select: { number: true, message: true, name: true, createdAt: true },
      });
      return rows.map((v) => ({ number: v.number, message: v.message, name: v.name, createdAt: v.createdAt.toISOString() }));
    },

    async version(workspaceId: string, id: string, n: number): Promise<PipelineVersion | null> {
      const v = await db.pipelineVersion.findFirst({ where: { pipelineId: id, number: n, pipeline: { workspaceId } } });
      if (!v) return null;
      return {
        number: v.number,
        message: v.message,
        name: v.name,
        description: v.description,
        createdAt: v.createdAt.toISOString(),
        ...readGraph(v.graph, `Version ${v.number}`),
      };
    },

    /** The workspace's pipelines whose current version has a node with config[key] === value (e.g. a file or connection id). */
    async usingConfigValue(workspaceId: string, key: string, value: string): Promise<{ id: string; name: string }[]> {
      return db.$queryRaw<{ id: string; name: string }[]>`
        SELECT p.id, p.name FROM pipelines p
        JOIN pipeline_versions v ON v.pipeline_id = p.id AND v.number = p.current_version
        WHERE p.workspace_id = ${workspaceId}::uuid
          AND EXISTS (SELECT 1 FROM jsonb_array_elements(v.graph->'nodes') n WHERE n->'config'->>${key} = ${value})
        ORDER BY p.name`;
    },

    /** The config of every node of `type` in the current versions of the workspace's pipelines (what editors saved). */
    async savedConfigsOf(workspaceId: string, type: string): Promise<unknown[]> {
      const rows = await db.$queryRaw<{ config: unknown }[]>`
        SELECT n->'config' AS config FROM pipelines p
        JOIN pipeline_versions v ON v.pipeline_id = p.id AND v.number = p.current_version
        CROSS JOIN LATERAL jsonb_array_elements(v.graph->'nodes') n
        WHERE p.workspace_id = ${workspaceId}::uuid AND n->>'type' = ${type}`;
      return rows.map((r) => r.config);
    },

    async count(workspaceId: string) {
      return db.pipeline.count({ where: { workspaceId } });
    },
  };
}

export type PipelineRepository = ReturnType<typeof pipelineRepository>;
