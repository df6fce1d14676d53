import { useEffect } from "react";
import type { PipelineGraph } from "@sluice/model";
import { loadPipeline } from "@sluice/pipeline";
import type { EditorStore } from "./editor.store.ts";

/** Keys pressed in a form field or a dialog belong there, not to the canvas. */
export const typingIn = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName) || t.closest("dialog") !== null);

export const CLIPBOARD_MIME = "application/x-sluice-pipeline";

const NOT_NODES = "The clipboard does not hold Sluice nodes: copy nodes on a canvas, or a pipeline file's JSON.";

/**
 * Reads pipeline JSON from the clipboard: our own copy, or a file's text someone copied from an editor. Loaded like
 * any pipeline, so nodes copied from an older file arrive with current settings; nodes from a newer Sluice are refused
 * with the reason.
 */
export function parseClipboardGraph(text: string): { ok: true; graph: PipelineGraph } | { ok: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: NOT_NODES };
  }
  const loaded = loadPipeline(json);
  if (loaded.ok) return { ok: true, graph: loaded.graph };
  const newer = loaded.issues.find((i) => i.code === "NODE_VERSION_TOO_NEW" || i.code === "FORMAT_VERSION_TOO_NEW" || i.code === "NODE_MIGRATION_FAILED");
  return { ok: false, message: newer ? `Not pasted: ${newer.message}` : NOT_NODES };
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
      const read = parseClipboardGraph(text);
      if (read.ok) store.getState().paste(read.graph);
      else onPasteRefused(read.message);
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
