import type { TriggersInfo } from "@sluice/model";
import type { Db } from "../db/prisma.ts";

/** "Run B after A succeeds": the edges of a graph of pipelines, kept free of cycles. */
export function triggerRepository(db: Db) {
  return {
    async after(pipelineId: string): Promise<TriggersInfo> {
      const rows = await db.pipelineTrigger.findMany({ where: { pipelineId }, include: { afterPipeline: { select: { id: true, name: true } } }, orderBy: { createdAt: "asc" } });
      return { after: rows.map((r) => r.afterPipeline) };
    },
    /** The pipelines to start when `pipelineId` succeeds. */
    async dependents(pipelineId: string) {
      return db.pipelineTrigger.findMany({ where: { afterPipelineId: pipelineId }, select: { pipelineId: true } });
    },
    /**
     * Replaces what `pipelineId` runs after. Refuses (returning the loop, names in order) when the new edges would
     * let a success come back around to start the same pipeline again.
     */
    async set(pipelineId: string, after: string[]): Promise<{ ok: true } | { ok: false; cycle: string[] }> {
      return db.$transaction(async (tx) => {
        // Serialise changes, so two concurrent edits cannot close a loop between them.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('sluice:pipeline_triggers'))`;
        const edges = await tx.pipelineTrigger.findMany({ where: { NOT: { pipelineId } }, select: { pipelineId: true, afterPipelineId: true } });
        const next = new Map<string, string[]>();
        for (const e of [...edges, ...after.map((a) => ({ pipelineId, afterPipelineId: a }))]) {
          next.set(e.afterPipelineId, [...(next.get(e.afterPipelineId) ?? []), e.pipelineId]);
        }
        // A success of `pipelineId` starts its dependents; a loop is a path from pipelineId back to itself.
        const path = findPath(next, pipelineId, pipelineId);
        if (path) {
          const names = await tx.pipeline.findMany({ where: { id: { in: path } }, select: { id: true, name: true } });
          const name = new Map(names.map((n) => [n.id, n.name]));
          return { ok: false as const, cycle: path.map((id) => name.get(id) ?? id) };
        }
        await tx.pipelineTrigger.deleteMany({ where: { pipelineId } });
        if (after.length) await tx.pipelineTrigger.createMany({ data: [...new Set(after)].map((a) => ({ pipelineId, afterPipelineId: a })) });
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
