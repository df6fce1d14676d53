import { useId } from "react";
import { columnTypeSchema, type ColumnType } from "@sluice/model";
import { Button } from "../../components/button.tsx";
import { AddButton, DraftInput, FieldProblems, inputClass, ItemControls, usePaged, type FormContext } from "./form-parts.tsx";
import { formatScalar } from "./form-model.ts";
import { problemsAt } from "./problem-placement.ts";
import { addColumn, addRow, asTable, cellFor, inlineRowPage, moveColumn, removeColumn, removeRow, setCell, setColumn, type InlineColumn, type InlineTable } from "./inline-table.ts";
import { formatCount } from "../../lib/format-duration.ts";

const cellClass = "min-h-6 w-full min-w-[5rem] rounded border bg-white px-1.5 py-0.5 text-xs focus:border-cyan-600 focus:ring-2 focus:ring-cyan-600/30 focus:outline-none";

/** inline's settings: its columns (name and type), then its rows as a grid under those columns. */
export function InlineEditor({ config, ctx, onChange }: { config: Record<string, unknown>; ctx: FormContext; onChange: (config: Record<string, unknown>) => void }) {
  const table = asTable(config);
  const set = (t: InlineTable) => onChange({ ...config, columns: t.columns, rows: t.rows });
  const { shown, more } = usePaged(table.rows, inlineRowPage(table.columns.length));
  // Cell problems are listed under their row (see drawnPaths); the cell itself gets a red border.
  const bad = new Set(shown.flatMap((_, r) => problemsAt(ctx.placed, `rows.${r}`).map((p) => p.field ?? "")));
  return (
    <div>
      <fieldset className="mb-2">
        <legend className="mb-1 text-xs font-semibold text-slate-700">Columns</legend>
        {table.columns.map((c, i) => (
          <ColumnRow key={i} index={i} column={c} count={table.columns.length} ctx={ctx} onChange={(col) => set(setColumn(table, i, col))} onMove={(by) => set(moveColumn(table, i, by))} onRemove={() => set(removeColumn(table, i))} />
        ))}
        <AddButton what="column" onClick={() => set(addColumn(table))} />
        <FieldProblems ctx={ctx} path="columns" />
      </fieldset>
      <fieldset className="mb-2">
        <legend className="mb-1 text-xs font-semibold text-slate-700">Rows ({formatCount(table.rows.length)})</legend>
        {table.columns.length === 0 ? (
          <p className="text-xs text-slate-500">Add a column first.</p>
        ) : (
          <div className="max-w-full overflow-x-auto">
            <table className="border-separate border-spacing-0.5 text-xs">
              <thead>
                <tr>
                  <th scope="col" className="sr-only">
                    Row
                  </th>
                  {table.columns.map((c, i) => (
                    <th key={i} scope="col" className="px-1 text-left font-medium text-slate-600">
                      {c.name} <span className="font-normal text-slate-500">{c.type}</span>
                    </th>
                  ))}
                  <th scope="col" className="sr-only">
                    Remove
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((row, r) => (
                  <tr key={r}>
                    <th scope="row" className="px-1 text-right font-normal text-slate-500">
                      {r + 1}
                    </th>
                    {table.columns.map((c, ci) => (
                      <td key={ci}>
                        <DraftInput
                          aria-label={`${c.name} in row ${r + 1}`}
                          aria-invalid={bad.has(`rows.${r}.${ci}`) ? true : undefined}
                          value={row[ci] ?? null}
                          parse={(text) => cellFor(text, c)}
                          format={formatScalar}
                          placeholder="null"
                          onChange={(v) => set(setCell(table, r, ci, v))}
                          className={`${cellClass} ${bad.has(`rows.${r}.${ci}`) ? "border-red-500" : "border-slate-200"}`}
                        />
                      </td>
                    ))}
                    <td>
                      <Button variant="ghost" className="min-h-6 min-w-6 justify-center !px-1 !py-0" aria-label={`Remove row ${r + 1}`} onClick={() => set(removeRow(table, r))}>
                        ✕
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {shown.map((_, r) => (
              <FieldProblems key={r} ctx={ctx} path={`rows.${r}`} />
            ))}
          </div>
        )}
        {more}
        {table.columns.length > 0 && <AddButton what="row" onClick={() => set(addRow(table))} />}
        <p className="text-xs text-slate-500">An empty cell is null.</p>
        <FieldProblems ctx={ctx} path="rows" />
      </fieldset>
    </div>
  );
}

function ColumnRow({ index, column, count, ctx, onChange, onMove, onRemove }: { index: number; column: InlineColumn; count: number; ctx: FormContext; onChange: (c: InlineColumn) => void; onMove: (by: number) => void; onRemove: () => void }) {
  const id = useId();
  const setType = (type: ColumnType) => {
    const next: InlineColumn = { name: column.name, type };
    if (type === "decimal" && column.precision !== undefined) next.precision = column.precision;
    if (type === "decimal" && column.scale !== undefined) next.scale = column.scale;
    onChange(next);
  };
  return (
    <div className="mb-1" role="group" aria-label={`Column ${index + 1}`}>
      <div className="flex items-end gap-1">
        <div className="min-w-0 flex-1">
          <label htmlFor={`${id}-name`} className="sr-only">
            Column name
          </label>
          <input id={`${id}-name`} value={column.name} placeholder="name" onChange={(e) => onChange({ ...column, name: e.target.value })} className={inputClass} />
        </div>
        <div className="w-28">
          <label htmlFor={`${id}-type`} className="sr-only">
            Type
          </label>
          <select id={`${id}-type`} value={column.type} onChange={(e) => setType(e.target.value as ColumnType)} className={inputClass}>
            {columnTypeSchema.options.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <ItemControls name="Column" index={index} count={count} onMove={onMove} onRemove={onRemove} />
      </div>
      {column.type === "decimal" && (
        <div className="mt-1 flex gap-1 text-xs text-slate-600">
          {(["precision", "scale"] as const).map((key) => (
            <label key={key} className="flex items-center gap-1">
              {key === "precision" ? "Precision" : "Scale"}
              <input
                type="number"
                min={key === "precision" ? 1 : 0}
                max={38}
                value={column[key] ?? ""}
                placeholder={key === "precision" ? "18" : "3"}
                onChange={(e) => {
                  const next = { ...column };
                  if (e.target.value === "") delete next[key];
                  else next[key] = Number(e.target.value);
                  onChange(next);
                }}
                className={`${inputClass} w-16`}
              />
            </label>
          ))}
        </div>
      )}
      <FieldProblems ctx={ctx} path={`columns.${index}`} />
      <FieldProblems ctx={ctx} path={`columns.${index}.name`} />
    </div>
  );
}
