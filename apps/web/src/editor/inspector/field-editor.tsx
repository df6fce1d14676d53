import { useId, type ReactNode } from "react";
import type { Column, Issue } from "@sluice/model";
import { Button } from "../../components/button.tsx";
import { formatScalar, humanize, initialValue, parseScalar, problemsAt, type FieldSpec } from "./form-model.ts";
import { useConnectionOptions, useFileOptions } from "./picker-options.ts";

export interface FormContext {
  inputs: Record<string, Column[][]>;
  problems: Issue[];
}

interface Props {
  spec: FieldSpec;
  value: unknown;
  onChange: (v: unknown) => void;
  /** Dotted path into the config, as validation problems name fields. */
  path: string;
  label: string;
  ctx: FormContext;
}

const inputClass = "w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:border-cyan-600 focus:ring-2 focus:ring-cyan-600/30 focus:outline-none";
const join = (path: string, key: string | number) => (path === "" ? String(key) : `${path}.${key}`);
const columnsOf = (ctx: FormContext, port: string): Column[] => ctx.inputs[port]?.[0] ?? [];
const asRecord = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function Problems({ ctx, path }: { ctx: FormContext; path: string }) {
  const here = problemsAt(ctx.problems, path);
  if (here.length === 0) return null;
  return (
    <ul className="mt-0.5 text-xs text-red-700">
      {here.map((p, i) => (
        <li key={i}>{p.message}</li>
      ))}
    </ul>
  );
}

function Labelled({ label, path, ctx, children, id }: { label: string; path: string; ctx: FormContext; children: ReactNode; id: string }) {
  return (
    <div className="mb-2">
      <label htmlFor={id} className="mb-0.5 block text-xs font-medium text-slate-600">
        {label}
      </label>
      {children}
      <Problems ctx={ctx} path={path} />
    </div>
  );
}

function ColumnSelect({ id, label, value, columns, onChange }: { id: string; label: string; value: string; columns: Column[]; onChange: (v: string) => void }) {
  const known = columns.some((c) => c.name === value);
  return (
    <select id={id} aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} className={inputClass}>
      <option value="">{columns.length === 0 ? "Connect an input to pick a column" : "Choose a column…"}</option>
      {!known && value !== "" && <option value={value}>{value} (not in the input)</option>}
      {columns.map((c) => (
        <option key={c.name} value={c.name}>
          {c.name} ({c.type})
        </option>
      ))}
    </select>
  );
}

/** One setting, drawn from its spec; objects and lists recurse. */
export function FieldEditor({ spec, value, onChange, path, label, ctx }: Props) {
  const id = useId();
  switch (spec.kind) {
    case "const":
      return null;
    case "text":
      return (
        <Labelled label={label} path={path} ctx={ctx} id={id}>
          {spec.multiline ? (
            <textarea id={id} rows={4} value={formatScalar(value)} onChange={(e) => onChange(e.target.value)} className={`${inputClass} font-mono text-xs`} />
          ) : (
            <input id={id} value={formatScalar(value)} onChange={(e) => onChange(e.target.value)} className={inputClass} />
          )}
        </Labelled>
      );
    case "number":
      return (
        <Labelled label={label} path={path} ctx={ctx} id={id}>
          <input
            id={id}
            type="number"
            step={spec.integer ? 1 : "any"}
            min={spec.min}
            max={spec.max !== undefined && spec.max < Number.MAX_SAFE_INTEGER ? spec.max : undefined}
            value={typeof value === "number" ? value : ""}
            onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
            className={inputClass}
          />
        </Labelled>
      );
    case "boolean":
      return (
        <div className="mb-2">
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} className="focus:ring-2 focus:ring-cyan-600" />
            {label}
          </label>
          <Problems ctx={ctx} path={path} />
        </div>
      );
    case "enum":
      return (
        <Labelled label={label} path={path} ctx={ctx} id={id}>
          <select id={id} value={value === null || value === undefined ? "" : String(value)} onChange={(e) => onChange(e.target.value === "" && spec.nullable ? null : e.target.value)} className={inputClass}>
            {spec.nullable && <option value="">(none)</option>}
            {value !== undefined && value !== null && !spec.options.includes(String(value)) && <option value={String(value)}>{String(value)}</option>}
            {spec.options.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </Labelled>
      );
    case "column":
      return (
        <Labelled label={label} path={path} ctx={ctx} id={id}>
          <ColumnSelect id={id} label={label} value={typeof value === "string" ? value : ""} columns={columnsOf(ctx, spec.port)} onChange={onChange} />
        </Labelled>
      );
    case "columns":
      return <ColumnsField label={label} path={path} ctx={ctx} port={spec.port} value={asArray(value).map(String)} onChange={onChange} />;
    case "file":
      return <FilePicker id={id} label={label} path={path} ctx={ctx} value={typeof value === "string" ? value : ""} onChange={onChange} />;
    case "connection":
      return <ConnectionPicker id={id} label={label} path={path} ctx={ctx} value={typeof value === "string" ? value : ""} onChange={onChange} />;
    case "scalar":
      return (
        <Labelled label={label} path={path} ctx={ctx} id={id}>
          <input id={id} value={formatScalar(value)} placeholder="text, a number, true, false or null" onChange={(e) => onChange(parseScalar(e.target.value))} className={inputClass} />
        </Labelled>
      );
    case "texts":
    case "scalars": {
      const items = asArray(value);
      const typed = spec.kind === "scalars";
      return (
        <fieldset className="mb-2">
          <legend className="mb-0.5 text-xs font-medium text-slate-600">{label}</legend>
          {items.map((item, i) => (
            <div key={i} className="mb-1 flex gap-1">
              <input
                aria-label={`${label} ${i + 1}`}
                value={formatScalar(item)}
                placeholder={typed && item === "" ? "(empty text)" : undefined}
                onChange={(e) => onChange(items.map((x, j) => (j === i ? (typed ? parseScalar(e.target.value) : e.target.value) : x)))}
                className={inputClass}
              />
              <Button variant="ghost" className="!px-1.5" aria-label={`Remove ${label.toLowerCase()} ${i + 1}`} onClick={() => onChange(items.filter((_, j) => j !== i))}>
                ✕
              </Button>
            </div>
          ))}
          <Button variant="ghost" className="!px-1.5 !py-0.5 text-xs" onClick={() => onChange([...items, ""])}>
            + Add {label.toLowerCase().replace(/s$/, "")}
          </Button>
          <Problems ctx={ctx} path={path} />
        </fieldset>
      );
    }
    case "object":
      return <ObjectFields spec={spec} value={asRecord(value)} onChange={onChange} path={path} ctx={ctx} />;
    case "variants": {
      const v = asRecord(value);
      const current = spec.variants.find((x) => x.value === v[spec.discriminator]) ?? spec.variants[0]!;
      return (
        <div>
          <Labelled label={humanize(spec.discriminator)} path={join(path, spec.discriminator)} ctx={ctx} id={id}>
            <select
              id={id}
              value={current.value}
              onChange={(e) => {
                const next = spec.variants.find((x) => x.value === e.target.value)!;
                onChange({ ...(initialValue(next.spec) as object), [spec.discriminator]: next.value });
              }}
              className={inputClass}
            >
              {spec.variants.map((x) => (
                <option key={x.value} value={x.value}>
                  {humanize(x.value)}
                </option>
              ))}
            </select>
          </Labelled>
          <ObjectFields spec={current.spec} value={v} onChange={onChange} path={path} ctx={ctx} />
        </div>
      );
    }
    case "list":
      return <ListField spec={spec} label={label} value={asArray(value)} onChange={onChange} path={path} ctx={ctx} />;
    case "json":
      return (
        <Labelled label={`${label} (JSON)`} path={path} ctx={ctx} id={id}>
          <JsonValue id={id} value={value} onChange={onChange} />
        </Labelled>
      );
    default: {
      const never: never = spec;
      return never;
    }
  }
}

function ObjectFields({ spec, value, onChange, path, ctx }: { spec: Extract<FieldSpec, { kind: "object" }>; value: Record<string, unknown>; onChange: (v: unknown) => void; path: string; ctx: FormContext }) {
  return (
    <>
      {spec.fields.map((f) => (
        <FieldEditor
          key={f.key}
          spec={f.spec}
          label={f.label}
          path={join(path, f.key)}
          ctx={ctx}
          value={value[f.key] ?? f.default}
          onChange={(v) => {
            const next = { ...value };
            if (v === undefined) delete next[f.key];
            else next[f.key] = v;
            onChange(next);
          }}
        />
      ))}
    </>
  );
}

function ListField({ spec, label, value, onChange, path, ctx }: { spec: Extract<FieldSpec, { kind: "list" }>; label: string; value: unknown[]; onChange: (v: unknown) => void; path: string; ctx: FormContext }) {
  const singular = label.replace(/ies$/, "y").replace(/s$/, "");
  const move = (i: number, d: number) => {
    const next = [...value];
    [next[i], next[i + d]] = [next[i + d], next[i]];
    onChange(next);
  };
  return (
    <fieldset className="mb-2">
      <legend className="mb-1 text-xs font-semibold text-slate-700">{label}</legend>
      {value.map((item, i) => (
        <div key={i} className="mb-2 rounded-md border border-slate-200 p-2" role="group" aria-label={`${singular} ${i + 1}`}>
          <div className="mb-1 flex items-center justify-between text-xs text-slate-500">
            <span>
              {singular} {i + 1}
            </span>
            <span className="flex gap-0.5">
              <Button variant="ghost" className="!px-1 !py-0" aria-label={`Move ${singular.toLowerCase()} ${i + 1} up`} disabled={i === 0} onClick={() => move(i, -1)}>
                ↑
              </Button>
              <Button variant="ghost" className="!px-1 !py-0" aria-label={`Move ${singular.toLowerCase()} ${i + 1} down`} disabled={i === value.length - 1} onClick={() => move(i, 1)}>
                ↓
              </Button>
              <Button variant="ghost" className="!px-1 !py-0" aria-label={`Remove ${singular.toLowerCase()} ${i + 1}`} onClick={() => onChange(value.filter((_, j) => j !== i))}>
                ✕
              </Button>
            </span>
          </div>
          <FieldEditor spec={spec.item} value={item} label={singular} path={join(path, i)} ctx={ctx} onChange={(v) => onChange(value.map((x, j) => (j === i ? v : x)))} />
        </div>
      ))}
      <Button variant="ghost" className="!px-1.5 !py-0.5 text-xs" onClick={() => onChange([...value, initialValue(spec.item)])}>
        + Add {singular.toLowerCase()}
      </Button>
      <Problems ctx={ctx} path={path} />
    </fieldset>
  );
}

function ColumnsField({ label, path, ctx, port, value, onChange }: { label: string; path: string; ctx: FormContext; port: string; value: string[]; onChange: (v: unknown) => void }) {
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
      <Problems ctx={ctx} path={path} />
    </div>
  );
}

function FilePicker({ id, label, path, ctx, value, onChange }: { id: string; label: string; path: string; ctx: FormContext; value: string; onChange: (v: unknown) => void }) {
  const files = useFileOptions(true);
  const list = files.data?.files ?? [];
  return (
    <Labelled label={label} path={path} ctx={ctx} id={id}>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} className={inputClass}>
        <option value="">{files.isPending ? "Loading files…" : list.length === 0 ? "No files yet: upload one on the Files page" : "Choose a file…"}</option>
        {value !== "" && !list.some((f) => f.id === value) && !files.isPending && <option value={value}>missing file {value.slice(0, 8)}…</option>}
        {list.map((f) => (
          <option key={f.id} value={f.id}>
            {f.name} ({f.format}, {f.columns.length} columns)
          </option>
        ))}
      </select>
      {files.error && <p className="text-xs text-red-700">{files.error.message}</p>}
    </Labelled>
  );
}

function ConnectionPicker({ id, label, path, ctx, value, onChange }: { id: string; label: string; path: string; ctx: FormContext; value: string; onChange: (v: unknown) => void }) {
  const conns = useConnectionOptions(true);
  const list = conns.data?.connections ?? [];
  return (
    <Labelled label={label} path={path} ctx={ctx} id={id}>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} className={inputClass}>
        <option value="">{conns.isPending ? "Loading connections…" : "Choose a connection…"}</option>
        {list.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      {conns.error && <p className="text-xs text-red-700">{conns.error.message}</p>}
    </Labelled>
  );
}

function JsonValue({ id, value, onChange }: { id: string; value: unknown; onChange: (v: unknown) => void }) {
  return (
    <textarea
      id={id}
      rows={4}
      defaultValue={JSON.stringify(value ?? null, null, 2)}
      onChange={(e) => {
        try {
          onChange(JSON.parse(e.target.value));
        } catch {
          // Applied once it parses; the JSON editor below says what is wrong with the whole config.
        }
      }}
      className={`${inputClass} font-mono text-xs`}
    />
  );
}
