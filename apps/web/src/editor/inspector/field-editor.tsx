import { useId } from "react";
import { Button } from "../../components/button.tsx";
import { joinPath, moveItem, removeItem, replaceItem } from "./config-path.ts";
import { AddButton, columnsOf, DraftInput, FieldProblems, inputClass, Labelled, ListItem, usePaged, type FormContext } from "./form-parts.tsx";
import { formatScalar, humanize, initialValue, LIST_PAGE, parseScalar, TEXTS_PAGE, withField, type FieldSpec } from "./form-model.ts";
import { ColumnSelect, ColumnsField, ConnectionPicker, FilePicker } from "./pickers.tsx";
import { ExpressionEditor } from "./expression-editor.tsx";
import { problemsAt } from "./problem-placement.ts";

const NO_NAMES: ReadonlySet<string> = new Set();

interface Props {
  spec: FieldSpec;
  value: unknown;
  onChange: (v: unknown) => void;
  /** Dotted path into the config, as validation problems name fields. */
  path: string;
  label: string;
  ctx: FormContext;
  /** A line under the field saying what it means (from the schema's description). */
  hint?: string | undefined;
  /** Optional with no default: leaving it out means something of its own (detected, off). */
  optional?: boolean;
}

const asRecord = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const singular = (label: string) => label.replace(/ies$/, "y").replace(/s$/, "");

/** One setting, drawn from its spec; objects and lists recurse. */
export function FieldEditor({ spec, value, onChange, path, label, ctx, hint, optional = false }: Props) {
  const id = useId();
  const describedBy = hint ? `${id}-hint` : undefined;
  switch (spec.kind) {
    case "const":
      return null;
    case "text":
      return (
        <Labelled label={label} path={path} ctx={ctx} id={id} hint={hint}>
          {spec.multiline ? (
            <textarea id={id} rows={4} value={formatScalar(value)} onChange={(e) => onChange(e.target.value)} className={`${inputClass} font-mono text-xs`} />
          ) : (
            <input id={id} value={formatScalar(value)} placeholder={optional && value === undefined ? "(not set)" : undefined} onChange={(e) => onChange(e.target.value)} className={inputClass} />
          )}
        </Labelled>
      );
    case "number":
      return (
        <Labelled label={label} path={path} ctx={ctx} id={id} hint={hint}>
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
      // Optional with no default: unset means "decide for me" (e.g. a CSV header detected), a third choice.
      if (optional)
        return (
          <Labelled label={label} path={path} ctx={ctx} id={id} hint={hint}>
            <select id={id} aria-describedby={describedBy} value={value === true ? "yes" : value === false ? "no" : ""} onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value === "yes")} className={inputClass}>
              <option value="">(not set)</option>
              <option value="yes">yes</option>
              <option value="no">no</option>
            </select>
          </Labelled>
        );
      return (
        <div className="mb-2">
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} className="focus:ring-2 focus:ring-cyan-600" />
            {label}
          </label>
          <FieldProblems ctx={ctx} path={path} />
        </div>
      );
    case "enum":
      return (
        <Labelled label={label} path={path} ctx={ctx} id={id} hint={hint}>
          <select id={id} aria-describedby={describedBy} value={value === null || value === undefined ? "" : String(value)} onChange={(e) => onChange(e.target.value === "" && spec.nullable ? null : e.target.value)} className={inputClass}>
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
        <Labelled label={label} path={path} ctx={ctx} id={id} hint={hint}>
          <ColumnSelect id={id} label={label} value={typeof value === "string" ? value : ""} columns={columnsOf(ctx, spec.port)} onChange={onChange} />
        </Labelled>
      );
    case "expression":
      return (
        <ExpressionEditor
          label={label}
          value={typeof value === "string" ? value : ""}
          onChange={onChange}
          columns={columnsOf(ctx, spec.port)}
          opaque={NO_NAMES}
          params={ctx.params}
          serverProblems={problemsAt(ctx.placed, path)}
        />
      );
    case "columns":
      return <ColumnsField label={label} path={path} ctx={ctx} port={spec.port} value={asArray(value).map(String)} onChange={onChange} />;
    case "file":
      return <FilePicker label={label} path={path} ctx={ctx} value={typeof value === "string" ? value : ""} onChange={onChange} />;
    case "connection":
      return <ConnectionPicker label={label} path={path} ctx={ctx} kind={spec.connectionKind} value={typeof value === "string" ? value : ""} onChange={onChange} />;
    case "scalar":
      return (
        <Labelled label={label} path={path} ctx={ctx} id={id} hint={hint}>
          <DraftInput id={id} value={value ?? null} parse={parseScalar} format={formatScalar} placeholder="text, a number, true, false or null" onChange={onChange} className={inputClass} />
        </Labelled>
      );
    case "texts":
    case "scalars":
      return <TextsField typed={spec.kind === "scalars"} label={label} value={asArray(value)} onChange={onChange} path={path} ctx={ctx} />;
    case "object":
      if (optional)
        return (
          <fieldset className="mb-2">
            <label className="flex items-center gap-2 text-xs font-medium text-slate-600">
              <input type="checkbox" checked={value !== undefined} onChange={(e) => onChange(e.target.checked ? initialValue(spec) : undefined)} />
              {label}
            </label>
            {hint && <p className="text-xs text-slate-500">{hint}</p>}
            {value !== undefined && (
              <div className="mt-1 border-l-2 border-slate-200 pl-2">
                <ObjectFields spec={spec} value={asRecord(value)} onChange={onChange} path={path} ctx={ctx} />
              </div>
            )}
            <FieldProblems ctx={ctx} path={path} />
          </fieldset>
        );
      return <ObjectFields spec={spec} value={asRecord(value)} onChange={onChange} path={path} ctx={ctx} />;
    case "variants": {
      const v = asRecord(value);
      const current = spec.variants.find((x) => x.value === v[spec.discriminator]) ?? spec.variants[0]!;
      return (
        <div>
          <Labelled label={humanize(spec.discriminator)} path={joinPath(path, spec.discriminator)} ctx={ctx} id={id}>
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

export function ObjectFields({ spec, value, onChange, path, ctx }: { spec: Extract<FieldSpec, { kind: "object" }>; value: Record<string, unknown>; onChange: (v: Record<string, unknown>) => void; path: string; ctx: FormContext }) {
  return (
    <>
      {spec.fields.map((f) => (
        <FieldEditor key={f.key} spec={f.spec} label={f.label} hint={f.hint} optional={!f.required && f.default === undefined} path={joinPath(path, f.key)} ctx={ctx} value={value[f.key] ?? f.default} onChange={(v) => onChange(withField(value, f, v))} />
      ))}
    </>
  );
}

function ListField({ spec, label, value, onChange, path, ctx }: { spec: Extract<FieldSpec, { kind: "list" }>; label: string; value: unknown[]; onChange: (v: unknown) => void; path: string; ctx: FormContext }) {
  const name = singular(label);
  const { shown, more } = usePaged(value, LIST_PAGE);
  return (
    <fieldset className="mb-2">
      <legend className="mb-1 text-xs font-semibold text-slate-700">{label}</legend>
      {shown.map((item, i) => (
        <ListItem key={i} name={name} index={i} count={value.length} onMove={(by) => onChange(moveItem(value, i, by))} onRemove={() => onChange(removeItem(value, i))} ctx={ctx} path={joinPath(path, i)}>
          <FieldEditor spec={spec.item} value={item} label={name} path={joinPath(path, i)} ctx={ctx} onChange={(v) => onChange(replaceItem(value, i, v))} />
        </ListItem>
      ))}
      {more}
      <AddButton what={name.toLowerCase()} onClick={() => onChange([...value, initialValue(spec.item)])} />
      <FieldProblems ctx={ctx} path={path} />
    </fieldset>
  );
}

/** A list of typed-in texts (or scalars: numbers, true/false, null), one input each, named "<label> <n>". */
export function TextsField({ typed, label, value, onChange, path, ctx, placeholder }: { typed: boolean; label: string; value: unknown[]; onChange: (v: unknown[]) => void; path: string; ctx: FormContext; placeholder?: string }) {
  const { shown, more } = usePaged(value, TEXTS_PAGE);
  return (
    <fieldset className="mb-2">
      <legend className="mb-0.5 text-xs font-medium text-slate-600">{label}</legend>
      {shown.map((item, i) => (
        <div key={i} className="mb-1">
          <div className="flex gap-1">
            <DraftInput<unknown>
              aria-label={`${label} ${i + 1}`}
              value={item}
              parse={typed ? parseScalar : (text) => text}
              format={formatScalar}
              placeholder={typed && item === "" ? "(empty text)" : placeholder}
              onChange={(v) => onChange(replaceItem(value, i, v))}
              className={inputClass}
            />
            <Button variant="ghost" className="!px-1.5" aria-label={`Remove ${label.toLowerCase()} ${i + 1}`} onClick={() => onChange(removeItem(value, i))}>
              ✕
            </Button>
          </div>
          <FieldProblems ctx={ctx} path={joinPath(path, i)} />
        </div>
      ))}
      {more}
      <AddButton what={singular(label).toLowerCase()} onClick={() => onChange([...value, ""])} />
      <FieldProblems ctx={ctx} path={path} />
    </fieldset>
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
