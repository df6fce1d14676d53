import { useEffect } from "react";
import { pipelineGraphSchema, type PipelineGraph } from "@sluice/model";
import type { EditorStore } from "./editor.store.ts";

const typingIn = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName) || t.closest("dialog") !== null);

export const CLIPBOARD_MIME = "application/x-sluice-pipeline";

/** Reads pipeline JSON from the clipboard: our own copy, or a file's text someone copied from an editor. */
export function parseClipboardGraph(text: string): PipelineGraph | null {
  try {
    const parsed = pipelineGraphSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Editor keys: undo/redo, save, delete, duplicate, and copy/paste through the system clipboard as pipeline JSON,
 * so nodes travel between pipelines and tabs. Keys typed into a field belong to that field.
 */
export function useEditorShortcuts(store: EditorStore, opts: { readOnly: boolean; onSave(): void; onPasteRefused(message: string): void }) {
  const { readOnly, onSave, onPasteRefused } = opts;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === "s") {
        e.preventDefault();
        if (!readOnly) onSave();
        return;
      }
      if (readOnly || typingIn(e.target)) return;
      const s = store.getState();
      if (mod && key === "z" && !e.shiftKey) s.undo();
      else if (mod && ((key === "z" && e.shiftKey) || key === "y")) s.redo();
      else if (mod && key === "d") s.duplicateSelection();
      else if (!mod && (e.key === "Delete" || e.key === "Backspace")) s.deleteSelection();
      else return;
      e.preventDefault();
    };
    const onCopy = (e: ClipboardEvent) => {
      if (typingIn(e.target) || !e.clipboardData) return;
      const fragment = store.getState().copySelection();
      if (!fragment) return;
      const text = JSON.stringify(fragment, null, 2);
      e.clipboardData.setData("text/plain", text);
      e.clipboardData.setData(CLIPBOARD_MIME, text);
      e.preventDefault();
    };
    const onPaste = (e: ClipboardEvent) => {
      if (readOnly || typingIn(e.target) || !e.clipboardData) return;
      const text = e.clipboardData.getData(CLIPBOARD_MIME) || e.clipboardData.getData("text/plain");
      if (!text) return;
      e.preventDefault();
      const graph = parseClipboardGraph(text);
      if (graph) store.getState().paste(graph);
      else onPasteRefused("The clipboard does not hold Sluice nodes: copy nodes on a canvas, or a pipeline file's JSON.");
    };
    window.addEventListener("keydown", onKey);
    document.addEventListener("copy", onCopy);
    document.addEventListener("paste", onPaste);
    return () => {
      window.removeEventListener("keydown", onKey);
      document.removeEventListener("copy", onCopy);
      document.removeEventListener("paste", onPaste);
    };
  }, [store, readOnly, onSave, onPasteRefused]);
}
