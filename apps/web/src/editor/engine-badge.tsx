import { useEffect, useId, useRef } from "react";
import type { DatabaseOption, EngineChoiceInfo, PipelineEngine } from "@sluice/model";
import { usePopover } from "./use-popover.ts";
import { engineShown, engineStatus } from "./engine-status.ts";

const CHOICES: { value: PipelineEngine; label: string; hint: string }[] = [
  { value: "auto", label: "Automatic", hint: "In the database when every source, sink and node can run there; otherwise DuckDB." },
  { value: "duckdb", label: "DuckDB", hint: "Rows are read into the worker, worked on there and written out." },
  { value: "database", label: "In the database", hint: "Runs as SQL inside the PostgreSQL connection of the sources and sinks; no row passes through the worker." },
];

/**
 * Where a run of the pipeline would execute, from validation ("Runs on DuckDB", "Runs in your database", or "Cannot
 * run in the database" when set to it and it cannot), as a button that opens the pipeline's engine setting: the
 * three choices, why the database is out of reach beside that choice, the reason in words and each node that cannot
 * run in the database. Said only when the database was an option or was asked for: a pipeline with no PostgreSQL
 * source or sink runs on DuckDB without a word.
 */
export function EngineBadge({
  setting,
  engine,
  database,
  nodeLabel,
  onChange,
  onPick,
  editReason,
}: {
  setting: PipelineEngine;
  engine: EngineChoiceInfo | undefined;
  database: DatabaseOption | undefined;
  nodeLabel: (nodeId: string) => string;
  onChange: (engine: PipelineEngine) => void;
  onPick: (nodeId: string) => void;
  /** Why the setting cannot be changed (viewing only); null when it can. */
  editReason: string | null;
}) {
  const popover = usePopover();
  if (!engineShown(setting, engine)) return null;
  const status = engineStatus(setting, engine, database);
  const title = [`${status.label}: ${status.reason}`, ...status.nodes.map((n) => `${nodeLabel(n.nodeId)}: ${n.reason}.`)].join("\n");
  const tone = status.tone === "database" ? "bg-cyan-100 text-cyan-900" : status.tone === "refused" ? "bg-red-100 text-red-900" : "bg-slate-100 text-slate-700";
  return (
    <div ref={popover.rootRef} className="relative shrink-0" onKeyDown={popover.onKeyDown} onBlur={popover.onBlur}>
      <button
        ref={popover.triggerRef}
        type="button"
        data-testid="engine-badge"
        title={title}
        aria-haspopup="dialog"
        aria-expanded={popover.open}
        aria-controls={popover.open ? popover.panelId : undefined}
        onClick={popover.toggle}
        className={`inline-flex items-center gap-1 rounded-full px-2.5 py-0.5 text-xs font-medium hover:ring-2 hover:ring-slate-300 ${tone}`}
      >
        {status.label} <span aria-hidden>▾</span>
        <span className="sr-only"> ({title}) Change where it runs.</span>
      </button>
      {popover.open && (
        <EnginePanel
          id={popover.panelId}
          setting={setting}
          status={status}
          database={database}
          nodeLabel={nodeLabel}
          editReason={editReason}
          onChange={onChange}
          onPick={(id) => {
            popover.close(false);
            onPick(id);
          }}
        />
      )}
    </div>
  );
}

function EnginePanel({
  id,
  setting,
  status,
  database,
  nodeLabel,
  editReason,
  onChange,
  onPick,
}: {
  id: string;
  setting: PipelineEngine;
  status: ReturnType<typeof engineStatus>;
  database: DatabaseOption | undefined;
  nodeLabel: (nodeId: string) => string;
  editReason: string | null;
  onChange: (engine: PipelineEngine) => void;
  onPick: (nodeId: string) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const name = useId();
  useEffect(() => ref.current?.querySelector<HTMLInputElement>("input:checked:not(:disabled), input:not(:disabled)")?.focus(), []);
  const unavailable = database?.unavailable ?? null;
  return (
    <div
      ref={ref}
      id={id}
      role="dialog"
      aria-label="Where runs execute"
      className="absolute top-full left-0 z-50 mt-2 w-96 rounded-lg border border-slate-200 bg-white p-3 text-sm whitespace-normal text-slate-800 shadow-lg"
    >
      <p data-testid="engine-reason" className="mb-2">
        <strong>{status.label}:</strong> {status.reason}
      </p>
      <fieldset disabled={editReason !== null} title={editReason ?? undefined} className="m-0 border-0 p-0">
        <legend className="mb-1 text-xs font-semibold text-slate-600">Run this pipeline</legend>
        {CHOICES.map((c) => {
          // Out of reach unless it is already the setting (then it stays selected, and the reason says why it fails).
          const blocked = c.value === "database" && unavailable !== null && setting !== "database";
          const hintId = `${name}-${c.value}`;
          return (
            // The radio is named by its label alone; the hint (or why not) is its description.
            <div key={c.value} className={`flex gap-2 rounded-md px-1 py-1 ${blocked ? "text-slate-600" : "hover:bg-slate-50"}`}>
              <input
                id={`${hintId}-radio`}
                type="radio"
                name={name}
                value={c.value}
                checked={setting === c.value}
                disabled={blocked}
                aria-describedby={hintId}
                onChange={() => onChange(c.value)}
                className="mt-0.5"
              />
              <span>
                <label htmlFor={`${hintId}-radio`} className="font-medium">
                  {c.label}
                </label>
                <span id={hintId} className="block text-xs text-slate-600">
                  {c.value === "database" && unavailable !== null ? (
                    <span data-testid="engine-database-unavailable">Not possible now: {unavailable}</span>
                  ) : (
                    c.hint
                  )}
                </span>
              </span>
            </div>
          );
        })}
      </fieldset>
      {editReason !== null && <p className="mt-1 text-xs text-slate-600">{editReason}</p>}
      {status.nodes.length > 0 && (
        <div className="mt-2 border-t border-slate-200 pt-2">
          <p className="text-xs font-semibold text-slate-600">Cannot run in the database</p>
          <ul className="mt-1 space-y-1">
            {status.nodes.map((n) => (
              <li key={n.nodeId}>
                <button type="button" className="text-left text-cyan-800 underline hover:no-underline" onClick={() => onPick(n.nodeId)}>
                  {nodeLabel(n.nodeId)}
                </button>
                : {n.reason}.
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
