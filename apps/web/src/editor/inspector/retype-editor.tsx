import { useId } from "react";
import { columnTypeSchema, type Column, type ColumnType, type PipelineGraph } from "@sluice/model";
import { Badge } from "../../components/badge.tsx";
import { joinPath, moveItem, removeItem, replaceItem } from "./config-path.ts";
import { ObjectFields, TextsField } from "./field-editor.tsx";
import { AddButton, FieldProblems, inputClass, ListItem, type FormContext } from "./form-parts.tsx";
import { fieldsOf, type FieldSpec } from "./form-model.ts";
import { ColumnSelect } from "./pickers.tsx";
import { newEntry, usesFormats, withTarget, type RetypeEntry } from "./retype-mapping.ts";
import { RetypeFailures, useRetypeFailures } from "./retype-failures.tsx";
import { RetypeDecimalSuggestion } from "./retype-decimal-suggestion.tsx";
import { RetypeSuggestTypes } from "./retype-suggest-types.tsx";

const TYPES = columnTypeSchema.options;

interface Props {
  config: Record<string, unknown>;
  spec: FieldSpec;
  columns: Column[];
  ctx: FormContext;
  graph: PipelineGraph;
  nodeId: string;
  onChange: (config: Record<string, unknown>) => void;
}

/**
 * retype's settings: a mapping table (column, target type, and the format or precision that type uses), each
 * row with the live count of its values that fail to convert; then what happens to those rows.
 */
export function RetypeEditor({ config, spec, columns, ctx, graph, nodeId, onChange }: Props) {
  const entries = (Array.isArray(config.columns) ? config.columns : []) as RetypeEntry[];
  const set = (next: RetypeEntry[]) => onChange({ ...config, columns: next });
  const counts = useRetypeFailures(graph, nodeId, entries.map((e) => e.column));
  return (
    <div>
      <RetypeFailures counts={counts} />
      <RetypeDecimalSuggestion graph={graph} nodeId={nodeId} config={config} onChange={onChange} />
      <RetypeSuggestTypes graph={graph} nodeId={nodeId} columns={columns} config={config} onChange={onChange} />
      <fieldset className="mb-2">
        <legend className="mb-1 text-xs font-semibold text-slate-700">Columns</legend>
        {entries.length === 0 && <p className="mb-1 text-xs text-slate-500">No columns converted yet.</p>}
        {entries.map((entry, i) => (
          <ListItem key={i} name="Column" index={i} count={entries.length} onMove={(by) => set(moveItem(entries, i, by))} onRemove={() => set(removeItem(entries, i))} ctx={ctx} path={joinPath("columns", i)}>
            <MappingRow entry={entry} path={`columns.${i}`} columns={columns} ctx={ctx} failing={counts?.byColumn.get(entry.column)} onChange={(e) => set(replaceItem(entries, i, e))} />
          </ListItem>
        ))}
        <AddButton what="column" onClick={() => set([...entries, newEntry(entries, columns)])} />
        <FieldProblems ctx={ctx} path="columns" />
      </fieldset>
      <ObjectFields spec={fieldsOf(spec, (k) => k !== "columns")} value={config} onChange={onChange} path="" ctx={ctx} />
    </div>
  );
}

function MappingRow({ entry, path, columns, ctx, failing, onChange }: { entry: RetypeEntry; path: string; columns: Column[]; ctx: FormContext; failing: number | undefined; onChange: (e: RetypeEntry) => void }) {
  const id = useId();
  const from = columns.find((c) => c.name === entry.column);
  return (
    <div>
      <div className="grid grid-cols-2 gap-1">
        <div>
          <label htmlFor={`${id}-column`} className="mb-0.5 block text-xs font-medium text-slate-600">
            Column
          </label>
          <ColumnSelect id={`${id}-column`} label="Column" value={entry.column} columns={columns} onChange={(column) => onChange({ ...entry, column })} />
          <FieldProblems ctx={ctx} path={joinPath(path, "column")} />
        </div>
        <div>
          <label htmlFor={`${id}-to`} className="mb-0.5 block text-xs font-medium text-slate-600">
            Convert to
          </label>
          <select id={`${id}-to`} value={entry.to} onChange={(e) => onChange(withTarget(entry, e.target.value as ColumnType))} className={inputClass}>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
          <FieldProblems ctx={ctx} path={joinPath(path, "to")} />
        </div>
      </div>
      <p className="mt-1 flex items-center gap-1 text-xs text-slate-500">
        {from ? `${from.type} → ${entry.to}` : "Choose a column"}
        {failing !== undefined && entry.column !== "" && (
          <Badge tone={failing === 0 ? "success" : "warning"}>{failing === 0 ? "all convert" : `${failing.toLocaleString("en-US")} fail`}</Badge>
        )}
      </p>
      {entry.to === "decimal" && (
        <div className="mt-1 grid grid-cols-2 gap-1">
          <NumberInput label="Precision" placeholder="18" value={entry.precision} onChange={(precision) => onChange(omitUndefined({ ...entry, precision }))} ctx={ctx} path={joinPath(path, "precision")} />
          <NumberInput label="Scale" placeholder="3" value={entry.scale} onChange={(scale) => onChange(omitUndefined({ ...entry, scale }))} ctx={ctx} path={joinPath(path, "scale")} />
        </div>
      )}
      {usesFormats(entry.to) && (
        <div className="mt-1">
          <TextsField typed={false} label="Formats" placeholder="%d/%m/%Y" value={entry.formats ?? []} onChange={(formats) => onChange({ ...entry, formats: formats as string[] })} path={joinPath(path, "formats")} ctx={ctx} />
          <p className="text-xs text-slate-500">
            Tried in order (strptime, e.g. %Y-%m-%d, %d/%m/%Y %H:%M).{" "}
            {(entry.formats ?? []).length === 0 && (entry.to === "date" ? "None: YYYY-MM-DD." : "None: ISO 8601.")}
          </p>
        </div>
      )}
    </div>
  );
}

function omitUndefined(e: RetypeEntry): RetypeEntry {
  const next = { ...e };
  if (next.precision === undefined) delete next.precision;
  if (next.scale === undefined) delete next.scale;
  return next;
}

function NumberInput({ label, placeholder, value, onChange, ctx, path }: { label: string; placeholder: string; value: number | undefined; onChange: (v: number | undefined) => void; ctx: FormContext; path: string }) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="mb-0.5 block text-xs font-medium text-slate-600">
        {label}
      </label>
      <input id={id} type="number" step={1} min={0} max={38} placeholder={placeholder} value={value ?? ""} onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))} className={inputClass} />
      <FieldProblems ctx={ctx} path={path} />
    </div>
  );
}
