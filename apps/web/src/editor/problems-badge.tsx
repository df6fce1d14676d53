import { useEffect, useRef } from "react";
import type { Issue } from "@sluice/model";
import { moveFocus, usePopover } from "./use-popover.ts";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * The graph's problems as one badge in the toolbar ("3 problems"), so they never push the toolbar onto a second
 * line; it opens a list of them, each naming its node, and picking one selects that node on the canvas.
 */
export function ProblemsBadge({ problems, nodeLabel, onPick }: { problems: readonly Issue[]; nodeLabel: (nodeId: string) => string; onPick: (nodeId: string) => void }) {
  const popover = usePopover();
  if (problems.length === 0) return null;
  const errors = problems.filter((p) => p.severity === "error");
  const warnings = problems.length - errors.length;
  // "Problems" are what blocks a run; warnings are counted apart.
  const label = errors.length === 0 ? plural(warnings, "warning") : `${plural(errors.length, "problem")}${warnings ? ` · ${plural(warnings, "warning")}` : ""}`;
  // Errors first: they are what blocks a run.
  const sorted = [...errors, ...problems.filter((p) => p.severity !== "error")];
  return (
    <div ref={popover.rootRef} className="relative shrink-0" onKeyDown={popover.onKeyDown} onBlur={popover.onBlur}>
      <button
        ref={popover.triggerRef}
        type="button"
        aria-haspopup="dialog"
        aria-expanded={popover.open}
        aria-controls={popover.open ? popover.panelId : undefined}
        onClick={popover.toggle}
        title="Show the problems"
        className={`inline-flex items-center gap-1 rounded-full px-2.5 py-0.5 text-xs font-medium focus-visible:ring-2 focus-visible:ring-cyan-600 focus-visible:outline-none ${
          errors.length > 0 ? "bg-red-100 text-red-800 hover:bg-red-200" : "bg-amber-100 text-amber-900 hover:bg-amber-200"
        }`}
      >
        <span aria-hidden>{errors.length > 0 ? "⚠" : "!"}</span>
        {label}
      </button>
      {popover.open && (
        <ProblemList
          id={popover.panelId}
          problems={sorted}
          nodeLabel={nodeLabel}
          onPick={(nodeId) => {
            popover.close(false);
            onPick(nodeId);
          }}
        />
      )}
    </div>
  );
}

function ProblemList({ id, problems, nodeLabel, onPick }: { id: string; problems: Issue[]; nodeLabel: (nodeId: string) => string; onPick: (nodeId: string) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.querySelector<HTMLElement>("button")?.focus(), []);
  return (
    <div
      ref={ref}
      id={id}
      role="dialog"
      aria-label="Problems"
      onKeyDown={(e) => moveFocus(e, "button")}
      className="absolute top-full left-0 z-50 mt-2 max-h-96 w-96 overflow-y-auto rounded-lg border border-slate-200 bg-white p-1 text-sm whitespace-normal shadow-lg"
    >
      <ul>
        {problems.map((p, i) => {
          const nodeId = p.nodeId;
          const body = (
            <>
              <span className={`block text-xs font-medium ${p.severity === "error" ? "text-red-800" : "text-amber-900"}`}>
                {nodeId ? nodeLabel(nodeId) : "Pipeline"}
                <span className="sr-only">{p.severity === "error" ? " (error)" : " (warning)"}</span>
              </span>
              <span className="block text-slate-700">{p.message}</span>
            </>
          );
          return (
            <li key={`${nodeId ?? ""}-${p.code}-${i}`}>
              {nodeId ? (
                <button
                  type="button"
                  onClick={() => onPick(nodeId)}
                  className="block w-full rounded-md px-2 py-1.5 text-left hover:bg-slate-100 focus-visible:bg-slate-100 focus-visible:ring-2 focus-visible:ring-cyan-600 focus-visible:outline-none"
                >
                  {body}
                </button>
              ) : (
                <div className="px-2 py-1.5">{body}</div>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
