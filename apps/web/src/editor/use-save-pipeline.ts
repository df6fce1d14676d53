import { useCallback, useState } from "react";
import { ApiError } from "../api/client.ts";
import { useUpdatePipeline } from "../api/pipelines.queries.ts";
import type { EditorStore } from "./editor.store.ts";

export interface SaveConflict {
  base: number;
  current: number;
}

/**
 * Saves the graph being edited as a new version. A 409 becomes a conflict to explain, never a lost edit;
 * edits made while the request was in flight stay unsaved.
 */
export function useSavePipeline(store: EditorStore, pipelineId: string, say: (m: string) => void) {
  const update = useUpdatePipeline();
  const [conflict, setConflict] = useState<SaveConflict | null>(null);
  const save = useCallback(
    async (message: string, base = store.getState().baseVersion): Promise<boolean> => {
      const snapshot = store.getState().graph;
      try {
        const saved = await update.mutateAsync({ id: pipelineId, body: { baseVersion: base, graph: snapshot, message } });
        store.getState().markSaved(saved.currentVersion, snapshot);
        say(`Saved version ${saved.currentVersion}.`);
        return true;
      } catch (e) {
        if (e instanceof ApiError && e.code === "VERSION_CONFLICT") {
          const current = (e.details as { currentVersion?: number } | undefined)?.currentVersion ?? base + 1;
          setConflict({ base, current });
        } else say(e instanceof Error ? e.message : String(e));
        return false;
      }
    },
    [store, update, pipelineId, say],
  );
  return { save, saving: update.isPending, conflict, clearConflict: () => setConflict(null) };
}
