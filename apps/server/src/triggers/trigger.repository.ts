import type { TriggersInfo } from "@sluice/model";
import type { Db } from "../db/prisma.ts";
import type { AuditHook } from "../pipelines/pipeline.repository.ts";

/**
 * "Run B after A succeeds": the edges of a graph of pipelines, kept free of cycles. Triggers belong to a workspace
 * through their pipelines, and both ends of an edge are always in the same one (the routes check the ids given).
 */
export function triggerRepository(db: Db) {
  return {
    async after(workspaceId: string, pipelineId: string): Promise<TriggersInfo> {
      const rows = await db.pipelineTrigger.findMany({
        where: { pipelineId, pipeline: { workspaceId }, afterPipeline: { workspaceId } },
        include: { afterPipeline: { select: { id: true, name: true } } },
        orderBy: { createdAt: "asc" },
      });
      return { after: rows.map((r) => r.afterPipeline) };
    },
    /** The pipelines of the workspace to start when `pipelineId` succeeds. */
    async dependents(workspaceId: string, pipelineId: string) {
      return db.pipelineTrigger.findMany({ where: { afterPipelineId: pipelineId, afterPipeline: { workspaceId }, pipeline: { workspaceId } }, select: { pipelineId: true } });
    },
    /**
     * Replaces what `pipelineId` runs after. Refuses (returning the loop, names in order) when the new edges would
     * let a success come back around to start the same pipeline again. `audit` is called in the same transaction
     * with the upstream pipeline ids, only when the triggers are changed.
     */
    async set(
      workspaceId: string,
      pipelineId: string,
      after: string[],
      audit?: AuditHook<{ id: string; name: string; after: string[] }>,
    ): Promise<{ ok: true } | { ok: false; cycle: string[] } | { ok: false; notFound: string }> {
      const upstream = [...new Set(after)];
      return db.$transaction(async (tx) => {
        // Serialise changes, so two concurrent edits cannot close a loop between them.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('sluice:pipeline_triggers'))`;
        // Checked again inside the lock: only pipelines of the workspace, which are not being deleted under us.
        const known = await tx.pipeline.findMany({ where: { id: { in: [pipelineId, ...upstream] }, workspaceId }, select: { id: true, name: true } });
        const name = new Map(known.map((n) => [n.id, n.name]));
        const missing = [pipelineId, ...upstream].find((id) => !name.has(id));
        if (missing) return { ok: false as const, notFound: missing };
        const edges = await tx.pipelineTrigger.findMany({ where: { NOT: { pipelineId }, pipeline: { workspaceId } }, select: { pipelineId: true, afterPipelineId: true } });
        const next = new Map<string, string[]>();
        for (const e of [...edges, ...upstream.map((a) => ({ pipelineId, afterPipelineId: a }))]) {
          next.set(e.afterPipelineId, [...(next.get(e.afterPipelineId) ?? []), e.pipelineId]);
        }
        // A success of `pipelineId` starts its dependents; a loop is a path from pipelineId back to itself.
        const path = findPath(next, pipelineId, pipelineId);
        if (path) {
          const names = await tx.pipeline.findMany({ where: { id: { in: path }, workspaceId }, select: { id: true, name: true } });
          const byId = new Map(names.map((n) => [n.id, n.name]));
          return { ok: false as const, cycle: path.map((id) => byId.get(id) ?? id) };
        }
        await tx.pipelineTrigger.deleteMany({ where: { pipelineId } });
        if (upstream.length) await tx.pipelineTrigger.createMany({ data: upstream.map((a) => ({ pipelineId, afterPipelineId: a })) });
        await audit?.(tx, { id: pipelineId, name: name.get(pipelineId)!, after: upstream });
        return { ok: true as const };
      });
    },
  };
}

function findPath(next: Map<string, string[]>, from: string, to: string): string[] | undefined {
  const stack: [string, string[]][] = [[from, [from]]];
  const seen = new Set<string>();
  while (stack.length) {
    const [at, path] = stack.pop()!;
    for (const n of next.get(at) ?? []) {
      if (n === to) return [...path, n];
      if (!seen.has(n)) {
        seen.add(n);
        stack.push([n, [...path, n]]);
      }
    }
  }
  return undefined;
}

export type TriggerRepository = ReturnType<typeof triggerRepository>;
