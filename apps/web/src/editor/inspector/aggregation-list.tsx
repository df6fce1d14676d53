import { useId } from "react";
import type { Column } from "@sluice/model";
import { joinPath, moveItem, removeItem, replaceItem } from "./config-path.ts";
import { AddButton, FieldProblems, inputClass, ListItem, type FormContext } from "./form-parts.tsx";
import { humanize } from "./form-model.ts";
import { ColumnSelect } from "./pickers.tsx";
import { columnOptional, defaultOutputName, usesSeparator, withPart, type Aggregation } from "./aggregation.ts";

interface Props {
  value: Aggregation[];
  onChange: (v: Aggregation[]) => void;
  /** The functions the node's schema allows, in its order. */
  functions: string[];
  columns: Column[];
  ctx: FormContext;
  path?: string;
}

/** group's and aggregate's list of aggregations: function, column and output name, one row each. */
export function AggregationList({ value, onChange, functions, columns, ctx, path = "aggregations" }: Props) {
  return (
    <fieldset className="mb-2">
      <legend className="mb-1 text-xs font-semibold text-slate-700">Aggregations</legend>
      {value.length === 0 && <p className="mb-1 text-xs text-slate-500">None yet: add one, e.g. the sum of an amount.</p>}
      {value.map((a, i) => (
        <ListItem key={i} name="Aggregation" index={i} count={value.length} onMove={(by) => onChange(moveItem(value, i, by))} onRemove={() => onChange(removeItem(value, i))} ctx={ctx} path={joinPath(path, i)}>
          <AggregationRow a={a} functions={functions} columns={columns} ctx={ctx} path={joinPath(path, i)} onChange={(next) => onChange(replaceItem(value, i, next))} />
        </ListItem>
      ))}
      <AddButton what="aggregation" onClick={() => onChange([...value, { fn: functions[0] ?? "count", separator: ", " }])} />
      <FieldProblems ctx={ctx} path={path} />
    </fieldset>
  );
}

function AggregationRow({ a, functions, columns, ctx, path, onChange }: { a: Aggregation; functions: string[]; columns: Column[]; ctx: FormContext; path: string; onChange: (a: Aggregation) => void }) {
  const id = useId();
  const label = (text: string, at: string) => (
    <label htmlFor={`${id}-${at}`} className="mb-0.5 block text-xs font-medium text-slate-600">
      {text}
    </label>
  );
  return (
    <div className="space-y-1">
      <div className="grid grid-cols-2 gap-1">
        <div>
          {label("Function", "fn")}
          <select id={`${id}-fn`} value={a.fn} onChange={(e) => onChange(withPart(a, "fn", e.target.value))} className={inputClass}>
            {functions.map((f) => (
              <option key={f} value={f}>
                {f === "count" ? "count (rows, or non-null values)" : humanize(f).toLowerCase()}
              </option>
            ))}
          </select>
          <FieldProblems ctx={ctx} path={joinPath(path, "fn")} />
        </div>
        <div>
          {label("Column", "column")}
          <ColumnSelect
            id={`${id}-column`}
            label="Column"
            value={a.column ?? ""}
            columns={columns}
            empty={columnOptional(a.fn) ? "(all rows)" : undefined}
            onChange={(column) => onChange(withPart(a, "column", column))}
          />
          <FieldProblems ctx={ctx} path={joinPath(path, "column")} />
        </div>
      </div>
      <div>
        {label("Output name", "as")}
        <input id={`${id}-as`} value={a.as ?? ""} placeholder={defaultOutputName(a)} onChange={(e) => onChange(withPart(a, "as", e.target.value))} className={inputClass} />
        <FieldProblems ctx={ctx} path={joinPath(path, "as")} />
      </div>
      {usesSeparator(a.fn) && (
        <div>
          {label("Separator", "separator")}
          <input id={`${id}-separator`} value={a.separator ?? ", "} onChange={(e) => onChange({ ...a, separator: e.target.value })} className={inputClass} />
          <FieldProblems ctx={ctx} path={joinPath(path, "separator")} />
        </div>
      )}
    </div>
  );
}
