import { useCallback, useEffect, useRef, useState } from "react";
import type { PipelineDetail } from "@sluice/model";
import { workspaceSelection } from "../api/workspace-selection.ts";
import type { EditorStore } from "./editor.store.ts";
import { draftKey, draftOffer, readDraft, removeDraft, writeDraft, type Draft } from "./local-draft.ts";

/** Edits are written this long after the last one, and at once when the page is hidden or the editor closes. */
const WRITE_AFTER_MS = 400;

const storage = (): Storage | null => {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
};

/**
 * Keeps the unsaved edits of this pipeline in a local draft while there are any (removed once saved, or undone back
 * to the saved graph). A draft found on opening is offered back first; until it is taken or discarded it is left as
 * it is. `forget` drops it for good, for "Leave without saving".
 */
export function useLocalDraft(store: EditorStore, pipeline: PipelineDetail) {
  const key = draftKey(workspaceSelection.id(), pipeline.id);
  const [offer, setOffer] = useState(() => {
    const s = storage();
    return s && draftOffer(readDraft(s, key), pipeline);
  });
  const forgotten = useRef(false);

  useEffect(() => {
    const s = storage();
    if (offer || !s) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      if (forgotten.current) return;
      const { dirty, graph, baseVersion } = store.getState();
      if (dirty) writeDraft(s, key, { baseVersion, savedAt: Date.now(), graph } satisfies Draft);
      else removeDraft(s, key);
    };
    const unsubscribe = store.subscribe((next, prev) => {
      if (next.graph === prev.graph && next.dirty === prev.dirty && next.baseVersion === prev.baseVersion) return;
      clearTimeout(timer);
      if (next.dirty) timer = setTimeout(flush, WRITE_AFTER_MS);
      else flush();
    });
    const onHide = () => timer !== undefined && flush();
    window.addEventListener("pagehide", onHide);
    return () => {
      unsubscribe();
      window.removeEventListener("pagehide", onHide);
      onHide();
    };
  }, [store, key, offer]);

  const restore = useCallback(() => {
    if (!offer) return;
    store.getState().restoreDraft(offer.draft.graph, offer.draft.baseVersion);
    setOffer(null);
  }, [offer, store]);
  const discard = useCallback(() => {
    const s = storage();
    if (s) removeDraft(s, key);
    setOffer(null);
  }, [key]);
  const forget = useCallback(() => {
    forgotten.current = true;
    const s = storage();
    if (s) removeDraft(s, key);
  }, [key]);
  return { offer, restore, discard, forget };
}
