import type { DatasetUsage } from "@sluice/model";
import type { SinkColumnChange } from "@sluice/pipeline";

/** One table or file a save changes, and the pipelines downstream that read it, with the changed columns each uses. */
export interface SaveImpact {
  dataset: { namespace: string; name: string; label: string };
  removed: string[];
  retyped: { column: string; before: string; after: string }[];
  readers: { pipelineId: string; pipelineName: string; version: number; nodeId: string; columns: string[] | null }[];
}

const typeName = (c: { type: string; precision?: number | undefined; scale?: number | undefined }) => (c.precision !== undefined ? `${c.type}(${c.precision}, ${c.scale ?? 0})` : c.type);

/**
 * What a save breaks downstream: per dataset whose written columns change (sinkColumnChanges of the saved version and
 * the draft), the other pipelines reading it and which of the changed columns each uses (all of them, as null, when
 * the reader's columns are not known). A reader that uses none of the changed columns is left out.
 */
export function saveImpact(changes: readonly SinkColumnChange[], usages: readonly (DatasetUsage | undefined)[], pipelineId: string): SaveImpact[] {
  return changes.map((c, i) => {
    const changed = new Set([...c.removed, ...c.retyped.map((r) => r.column)]);
    const used = usages[i]?.datasets.find((d) => d.namespace === c.dataset.namespace && d.name === c.dataset.name)?.usedBy ?? [];
    const readers = used
      .filter((u) => u.access === "read" && u.pipelineId !== pipelineId)
      .map((u) => ({ pipelineId: u.pipelineId, pipelineName: u.pipelineName, version: u.version, nodeId: u.nodeId, columns: u.columns === null ? null : u.columns.filter((x) => changed.has(x)) }))
      .filter((u) => u.columns === null || u.columns.length > 0);
    return {
      dataset: { namespace: c.dataset.namespace, name: c.dataset.name, label: c.dataset.label },
      removed: c.removed,
      retyped: c.retyped.map((r) => ({ column: r.column, before: typeName(r.before), after: typeName(r.after) })),
      readers,
    };
  });
}
