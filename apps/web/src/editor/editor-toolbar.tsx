import type { ComponentProps } from "react";
import { Button } from "../components/button.tsx";
import { useEditor, useEditorStore } from "./editor-context.ts";
import { RunControl } from "./run-control.tsx";

/**
 * The editor's header: the pipeline's name and version, the editing actions, the panels and Save and Run. It reads
 * the store of the graph being edited (never an old version being viewed) for what it enables.
 */
export function EditorToolbar({
  name,
  locked,
  editReason,
  parameterCount,
  panels,
  onTogglePanel,
  onLayout,
  onSave,
  saving,
  run,
}: {
  name: string;
  /** Viewing an old version, or without the right to edit. */
  locked: boolean;
  /** Why editing is not allowed, shown on the editing buttons instead of what they do. */
  editReason: string | null;
  parameterCount: number;
  panels: Record<ToolbarPanel, boolean>;
  onTogglePanel: (panel: ToolbarPanel) => void;
  onLayout: () => void;
  onSave: () => void;
  saving: boolean;
  run: ComponentProps<typeof RunControl>;
}) {
  const store = useEditorStore();
  const dirty = useEditor((s) => s.dirty);
  const baseVersion = useEditor((s) => s.baseVersion);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const nodeCount = useEditor((s) => s.graph.nodes.length);
  const selectedNodeCount = useEditor((s) => s.selectedNodes.length);
  const hasSelection = useEditor((s) => s.selectedNodes.length + s.selectedEdges.length > 0);
  const editTitle = (what: string) => editReason ?? what;
  return (
    <header className="flex items-center gap-2 border-b border-slate-200 bg-white px-4 py-2">
      <h1 className="truncate text-lg font-semibold" title={name}>
        {name}
      </h1>
      <span className="text-xs text-slate-500" data-testid="editor-version">
        v{baseVersion}
        {dirty && (
          <span className="ml-1 font-medium text-amber-700" title="Unsaved changes" data-testid="dirty-marker">
            ● unsaved
          </span>
        )}
      </span>
      <div className="ml-auto flex items-center gap-1">
        <Button variant="ghost" onClick={() => store.getState().undo()} disabled={!canUndo || locked} title={editTitle("Undo (Ctrl+Z)")}>
          Undo
        </Button>
        <Button variant="ghost" onClick={() => store.getState().redo()} disabled={!canRedo || locked} title={editTitle("Redo (Ctrl+Shift+Z)")}>
          Redo
        </Button>
        <Button variant="ghost" onClick={() => store.getState().duplicateSelection()} disabled={locked || selectedNodeCount === 0} title={editTitle("Duplicate the selected nodes (Ctrl+D)")}>
          Duplicate
        </Button>
        <Button variant="ghost" onClick={() => store.getState().deleteSelection()} disabled={locked || !hasSelection} title={editTitle("Delete the selected nodes and edges (Delete)")}>
          Delete
        </Button>
        <Button variant="ghost" onClick={onLayout} disabled={locked || nodeCount === 0} title={editTitle("Arrange nodes left to right")}>
          Auto-layout
        </Button>
        <Button variant="ghost" onClick={() => onTogglePanel("history")} aria-pressed={panels.history}>
          History
        </Button>
        <Button variant="ghost" onClick={() => onTogglePanel("parameters")} aria-pressed={panels.parameters}>
          Parameters{parameterCount ? ` (${parameterCount})` : ""}
        </Button>
        <Button variant="ghost" onClick={() => onTogglePanel("schedules")} aria-pressed={panels.schedules}>
          Schedules
        </Button>
        <Button onClick={onSave} disabled={locked || saving} title={editTitle("Save a version (Ctrl+S)")}>
          Save
        </Button>
        <RunControl {...run} />
      </div>
    </header>
  );
}

export type ToolbarPanel = "history" | "parameters" | "schedules";
