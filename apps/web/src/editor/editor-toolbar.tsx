import type { ComponentProps, ReactNode } from "react";
import { useReactFlow } from "@xyflow/react";
import type { DatabaseOption, EngineChoiceInfo, Issue } from "@sluice/model";
import { getNodeDefinition } from "@sluice/pipeline";
import { Button } from "../components/button.tsx";
import { useEditor, useEditorStore } from "./editor-context.ts";
import { ProblemsBadge } from "./problems-badge.tsx";
import { EngineBadge } from "./engine-badge.tsx";
import { RunControl } from "./run-control.tsx";
import { ToolbarIcon, type ToolbarIconName } from "./toolbar-icons.tsx";
import { ToolbarMoreMenu } from "./toolbar-more-menu.tsx";

export type ToolbarPanel = "history" | "parameters" | "schedules";

/**
 * The editor's header: the pipeline's name and version, the editing actions, the panels and Save and Run. It is
 * one line of a fixed height whatever it has to say, so the canvas below never moves: problems are a badge with a
 * list, a run in progress a short note, the editing actions icons, and below a width of 1152 px the panels go into
 * "More". The name gives way first and shows in full on hover. It reads the store of the graph being edited
 * (never an old version being viewed).
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
  problems,
  engine,
  database,
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
  /** The graph's problems (errors and warnings), for the badge. */
  problems: readonly Issue[];
  /** Where a run would execute, from validation. */
  engine?: EngineChoiceInfo | undefined;
  /** Whether the pipeline could run in the database, from validation (absent while the graph has errors). */
  database?: DatabaseOption | undefined;
  run: Omit<ComponentProps<typeof RunControl>, "explainedElsewhere">;
}) {
  const store = useEditorStore();
  const flow = useReactFlow();
  const dirty = useEditor((s) => s.dirty);
  const baseVersion = useEditor((s) => s.baseVersion);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const nodeCount = useEditor((s) => s.graph.nodes.length);
  const selectedNodeCount = useEditor((s) => s.selectedNodes.length);
  const engineSetting = useEditor((s) => s.graph.engine ?? "auto");
  const hasSelection = useEditor((s) => s.selectedNodes.length + s.selectedEdges.length > 0);
  const editTitle = (what: string) => editReason ?? what;

  const nodeLabel = (id: string) => {
    const node = store.getState().graph.nodes.find((n) => n.id === id);
    return node?.label ?? (node && getNodeDefinition(node.type)?.label) ?? id;
  };
  // Selects the node and brings it to the middle of the canvas at the current zoom.
  const pick = (id: string) => {
    store.getState().select([id]);
    const n = flow.getInternalNode(id);
    if (!n) return;
    const { width = 0, height = 0 } = n.measured;
    void flow.setCenter(n.internals.positionAbsolute.x + width / 2, n.internals.positionAbsolute.y + height / 2, { zoom: flow.getZoom(), duration: 200 });
  };

  const panelButtons: { panel: ToolbarPanel; label: string }[] = [
    { panel: "history", label: "History" },
    { panel: "parameters", label: `Parameters${parameterCount ? ` (${parameterCount})` : ""}` },
    { panel: "schedules", label: "Schedules" },
  ];
  const hasErrors = problems.some((p) => p.severity === "error");

  return (
    <header className="@container relative z-30 h-12 shrink-0 border-b border-slate-200 bg-white">
      <div className="flex h-full items-center gap-3 px-4 whitespace-nowrap">
        <div className="flex min-w-0 flex-1 items-center gap-2">
          <h1 className="min-w-0 truncate text-lg font-semibold" title={name}>
            {name}
          </h1>
          <span className="shrink-0 text-xs text-slate-500" data-testid="editor-version">
            v{baseVersion}
            {dirty && (
              <span className="ml-1 font-medium text-amber-700" title="Unsaved changes" data-testid="dirty-marker">
                ● unsaved
              </span>
            )}
          </span>
          <ProblemsBadge problems={problems} nodeLabel={nodeLabel} onPick={pick} />
          {/* Not for an old version being viewed (it has no validation): only what the graph being edited would do. */}
          {engine || database ? (
            <EngineBadge
              setting={engineSetting}
              engine={engine}
              database={database}
              nodeLabel={nodeLabel}
              onChange={(e) => store.getState().setEngine(e)}
              onPick={pick}
              editReason={locked ? (editReason ?? "You cannot change this pipeline.") : null}
            />
          ) : null}
        </div>
        <div className="flex shrink-0 items-center gap-0.5" role="group" aria-label="Edit">
          <IconButton icon="undo" label="Undo" title={editTitle("Undo (Ctrl+Z)")} disabled={!canUndo || locked} onClick={() => store.getState().undo()} />
          <IconButton icon="redo" label="Redo" title={editTitle("Redo (Ctrl+Shift+Z)")} disabled={!canRedo || locked} onClick={() => store.getState().redo()} />
          <IconButton
            icon="duplicate"
            label="Duplicate"
            title={editTitle("Duplicate the selected nodes (Ctrl+D)")}
            disabled={locked || selectedNodeCount === 0}
            onClick={() => store.getState().duplicateSelection()}
          />
          <IconButton
            icon="delete"
            label="Delete"
            title={editTitle("Delete the selected nodes and edges (Delete)")}
            disabled={locked || !hasSelection}
            onClick={() => store.getState().deleteSelection()}
          />
          <IconButton icon="layout" label="Auto-layout" title={editTitle("Auto-layout: arrange nodes left to right")} disabled={locked || nodeCount === 0} onClick={onLayout} />
        </div>
        <div className="hidden shrink-0 items-center gap-0.5 @6xl:flex">
          {panelButtons.map((b) => (
            <Button key={b.panel} variant="ghost" onClick={() => onTogglePanel(b.panel)} aria-pressed={panels[b.panel]}>
              {b.label}
            </Button>
          ))}
        </div>
        <ToolbarMoreMenu
          className="shrink-0 @6xl:hidden"
          items={panelButtons.map((b) => ({ label: b.label, pressed: panels[b.panel], onSelect: () => onTogglePanel(b.panel) }))}
        />
        <div className="flex shrink-0 items-center gap-2">
          <Button onClick={onSave} disabled={locked || saving} title={editTitle("Save a version (Ctrl+S)")}>
            Save
          </Button>
          <RunControl {...run} explainedElsewhere={hasErrors} />
        </div>
      </div>
    </header>
  );
}

function IconButton({ icon, label, title, disabled, onClick }: { icon: ToolbarIconName; label: string; title: string; disabled: boolean; onClick: () => void }): ReactNode {
  return (
    <Button variant="ghost" className="!px-2" aria-label={label} title={title} disabled={disabled} onClick={onClick}>
      <ToolbarIcon name={icon} />
    </Button>
  );
}
