import type { PipelineGraph } from "@sluice/model";
import { loadPipeline } from "@sluice/pipeline";
import { canonicalJson } from "./canonical-json.ts";

/**
 * Unsaved edits kept in the browser (localStorage), so a reload, a crash or a closed tab does not lose them. One
 * draft per workspace and pipeline; it carries the version it was based on, which tells on return whether the
 * pipeline was saved since (by someone else, or in another tab).
 */
export interface Draft {
  baseVersion: number;
  /** When it was written, ms since the epoch. */
  savedAt: number;
  graph: PipelineGraph;
}

type DraftStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export const draftKey = (workspaceId: string | null, pipelineId: string) => `sluice.draft.${workspaceId ?? "default"}.${pipelineId}`;

/** The stored draft, or null when there is none or it cannot be read (the graph goes through loadPipeline like any other). */
export function readDraft(storage: DraftStorage, key: string): Draft | null {
  let raw: unknown;
  try {
    raw = JSON.parse(storage.getItem(key) ?? "null");
  } catch {
    return null;
  }
  if (typeof raw !== "object" || raw === null) return null;
  const { baseVersion, savedAt, graph } = raw as Record<string, unknown>;
  if (typeof baseVersion !== "number" || typeof savedAt !== "number") return null;
  const loaded = loadPipeline(graph);
  return loaded.ok ? { baseVersion, savedAt, graph: loaded.graph } : null;
}

/** Writes the draft; a full or refused storage only means there is no draft. */
export function writeDraft(storage: DraftStorage, key: string, draft: Draft): void {
  try {
    storage.setItem(key, JSON.stringify(draft));
  } catch {
    // Nothing to do: the edits are still in the page.
  }
}

export function removeDraft(storage: DraftStorage, key: string): void {
  try {
    storage.removeItem(key);
  } catch {
    // As above.
  }
}

/** Worth offering back: the draft differs from what the pipeline now is. `older` when it was saved since the draft's base. */
export function draftOffer(draft: Draft | null, current: { graph: PipelineGraph; currentVersion: number }): { draft: Draft; older: boolean } | null {
  if (!draft) return null;
  if (draft.baseVersion === current.currentVersion && canonicalJson(draft.graph) === canonicalJson(current.graph)) return null;
  return { draft, older: draft.baseVersion !== current.currentVersion };
}
