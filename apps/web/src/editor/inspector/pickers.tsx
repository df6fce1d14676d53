import { useId } from "react";
import type { Column, ConnectionKind } from "@sluice/model";
import { columnsOf, FieldProblems, inputClass, Labelled, type FormContext } from "./form-parts.tsx";
import { useConnections } from "../../api/connections.queries.ts";
import { useFileOptions } from "../../api/files.queries.ts";
import { NewConnectionButton } from "../../connections/new-connection-button.tsx";
import { fileFacts, fileOptionLabel } from "../../files/file-description.ts";
import { RenamedColumnsNote } from "../../files/renamed-columns-note.tsx";
import { UploadButton } from "../../files/upload-button.tsx";

/**
 * One input column, offered with its type. A value the input does not have (a column removed upstream) stays
 * selectable and says so, rather than silently becoming another column.
 */
export function ColumnSelect({ id, label, value, columns, onChange, empty }: { id?: string; label: string; value: string; columns: Column[]; onChange: (v: string) => void; empty?: string }) {
  const known = columns.some((c) => c.name === value);
  return (
    <select id={id} aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} className={inputClass}>
      <option value="">{empty ?? (columns.length === 0 ? "Connect an input to pick a column" : "Choose a column…")}</option>
      {!known && value !== "" && <option value={value}>{value} (not in the input)</option>}
      {columns.map((c) => (
        <option key={c.name} value={c.name}>
          {c.name} ({c.type})
        </option>
      ))}
    </select>
  );
}

/** Several input columns, in the order chosen: chips to remove, and a select to add the ones not chosen yet. */
export function ColumnsField({ label, path, ctx, port, value, onChange }: { label: string; path: string; ctx: FormContext; port: string; value: string[]; onChange: (v: unknown) => void }) {
  const id = useId();
  const columns = columnsOf(ctx, port);
  const left = columns.filter((c) => !value.includes(c.name));
  return (
    <div className="mb-2">
      <label htmlFor={id} className="mb-0.5 block text-xs font-medium text-slate-600">
        {label}
      </label>
      {value.length > 0 && (
        <ul className="mb-1 flex flex-wrap gap-1" aria-label={`${label} chosen`}>
          {value.map((name) => (
            <li key={name} className={`flex items-center gap-1 rounded px-1.5 py-0.5 text-xs ${columns.some((c) => c.name === name) ? "bg-cyan-50 text-cyan-900" : "bg-red-50 text-red-800"}`}>
              {name}
              <button type="button" aria-label={`Remove ${name}`} className="text-slate-500 hover:text-slate-900 focus:ring-2 focus:ring-cyan-600 focus:outline-none" onClick={() => onChange(value.filter((v) => v !== name))}>
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      <select id={id} value="" onChange={(e) => e.target.value && onChange([...value, e.target.value])} className={inputClass}>
        <option value="">{columns.length === 0 ? "Connect an input to pick columns" : left.length === 0 ? "All columns chosen" : "Add a column…"}</option>
        {left.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name} ({c.type})
          </option>
        ))}
      </select>
      <FieldProblems ctx={ctx} path={path} />
    </div>
  );
}

/**
 * An uploaded file. Each option names its rows, size and upload time, so files of the same name can be told apart;
 * the chosen one's are repeated under the picker. The list is asked for again when the picker gets focus, and a file
 * can be uploaded (and chosen) from here.
 */
export function FilePicker({ label, path, ctx, value, onChange }: { label: string; path: string; ctx: FormContext; value: string; onChange: (v: unknown) => void }) {
  const id = useId();
  const files = useFileOptions(true);
  const list = files.data?.files ?? [];
  const chosen = list.find((f) => f.id === value);
  return (
    <Labelled label={label} path={path} ctx={ctx} id={id}>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} onFocus={() => void files.refetch()} className={inputClass}>
        <option value="">{files.isPending ? "Loading files…" : list.length === 0 ? "No files yet: upload one" : "Choose a file…"}</option>
        {value !== "" && !list.some((f) => f.id === value) && !files.isPending && <option value={value}>missing file {value.slice(0, 8)}…</option>}
        {list.map((f) => (
          <option key={f.id} value={f.id}>
            {fileOptionLabel(f)}
          </option>
        ))}
      </select>
      {chosen && (
        <p className="mt-1 text-xs text-slate-600" data-testid="chosen-file-facts">
          {chosen.columns.length} {chosen.columns.length === 1 ? "column" : "columns"} · {fileFacts(chosen)}
        </p>
      )}
      {chosen && <RenamedColumnsNote renamed={chosen.renamedColumns} className="mt-1" />}
      {files.error && <p className="text-xs text-red-700">Could not list files: {files.error.message}</p>}
      <UploadButton onUploaded={onChange} />
    </Labelled>
  );
}

/**
 * A stored connection of one kind: a Postgres database for database nodes, or an HTTP credential (optional)
 * for HTTP sources, whose secret headers the pipeline never holds. A new one can be made (and chosen) from here; the
 * list is asked for again when the picker gets focus.
 */
export function ConnectionPicker({ label, path, ctx, kind, value, onChange }: { label: string; path: string; ctx: FormContext; kind: ConnectionKind; value: string; onChange: (v: unknown) => void }) {
  const id = useId();
  const conns = useConnections(true);
  const list = (conns.data?.connections ?? []).filter((c) => c.kind === kind);
  const noun = kind === "http" ? "credential" : "connection";
  const empty = conns.isPending
    ? `Loading ${noun}s…`
    : kind === "http"
      ? list.length === 0
        ? "None (no credentials yet)"
        : "None"
      : list.length === 0
        ? "No connections yet"
        : "Choose a connection…";
  const offReason = (c: (typeof list)[number]) => (c.kind === "postgres" ? c.unavailable : undefined);
  const chosen = list.find((c) => c.id === value);
  const why = chosen ? offReason(chosen) : undefined;
  return (
    <Labelled label={label} path={path} ctx={ctx} id={id}>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} onFocus={() => void conns.refetch()} className={inputClass}>
        <option value="">{empty}</option>
        {value !== "" && !list.some((c) => c.id === value) && !conns.isPending && (
          <option value={value}>
            missing {noun} {value.slice(0, 8)}…
          </option>
        )}
        {/* A connection that is off cannot be chosen; one a node already uses stays shown, with the reason below. */}
        {list.map((c) => (
          <option key={c.id} value={c.id} disabled={offReason(c) !== undefined && c.id !== value}>
            {offReason(c) ? `${c.name} (off)` : c.name}
          </option>
        ))}
      </select>
      {why && (
        <p className="text-xs text-amber-800" data-testid="connection-off">
          This connection is turned off: {why}
        </p>
      )}
      {conns.error && <p className="text-xs text-red-700">Could not list {noun}s: {conns.error.message}</p>}
      <NewConnectionButton kind={kind} onCreated={onChange} />
    </Labelled>
  );
}
