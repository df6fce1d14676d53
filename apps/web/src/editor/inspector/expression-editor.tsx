import { useId, useMemo, useRef, useState } from "react";
import type { Column, Issue } from "@sluice/model";
import { checkExpression, completeExpression, parseExpression, type Completion, type ResolvedParameters } from "@sluice/pipeline";
import { moveItem, removeItem, replaceItem } from "./config-path.ts";
import { AddButton, FieldProblems, inputClass, ListItem, type FormContext } from "./form-parts.tsx";
import { problemsAt } from "./problem-placement.ts";

/** What is wrong with an expression, checked in the browser as the user types, with line and column. */
export function expressionProblems(source: string, columns: readonly Column[], opaque: ReadonlySet<string>, params: ResolvedParameters = new Map()): string[] {
  if (source.trim() === "") return [];
  const parsed = parseExpression(source);
  const problems = parsed.ok ? checkExpression(parsed.value, columns, { opaque, params }).problems : parsed.problems;
  return problems.map((p) => `${p.message} (line ${p.span.start.line}, column ${p.span.start.column})`);
}

/**
 * An expression field with column and function completion (as you type a name, or Ctrl+Space; arrows choose,
 * Tab or Enter accepts, Escape closes) and inline errors.
 */
export function ExpressionEditor({
  label,
  value,
  onChange,
  columns,
  opaque,
  params,
  serverProblems = [],
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  columns: readonly Column[];
  opaque: ReadonlySet<string>;
  /** The pipeline's parameters, for param('name'). */
  params: ResolvedParameters;
  /** Validation's problems for this field; shown when the browser's own check finds nothing (they would repeat it). */
  serverProblems?: readonly Issue[];
}) {
  const id = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  const [cursor, setCursor] = useState<number | null>(null);
  const opaqueKey = [...opaque].join("\u0000");
  // opaque is a fresh Set on each render: its content is what matters, so that is the dependency.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const local = useMemo(() => expressionProblems(value, columns, opaque, params), [value, columns, opaqueKey, params]);
  const problems = local.length > 0 ? local : serverProblems.map((p) => p.message);
  // Suggestions show while a name is being typed, or on Ctrl+Space (then also before anything is typed).
  const [forced, setForced] = useState(false);
  const [active, setActive] = useState(0);
  const completion = useMemo(() => (cursor === null ? null : completeExpression(value, cursor, columns, params)), [value, cursor, columns, params]);
  const items = completion && (forced || completion.to > completion.from) ? completion.items.slice(0, 8) : [];
  const current = Math.min(active, Math.max(0, items.length - 1));

  const apply = (c: Completion) => {
    if (!completion) return;
    const next = value.slice(0, completion.from) + c.insert + value.slice(completion.to);
    onChange(next);
    const at = completion.from + c.insert.length;
    setCursor(null);
    setForced(false);
    requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.setSelectionRange(at, at);
    });
  };

  return (
    <div className="mb-2">
      <label htmlFor={id} className="mb-0.5 block text-xs font-medium text-slate-600">
        {label}
      </label>
      <textarea
        ref={ref}
        id={id}
        rows={2}
        spellCheck={false}
        value={value}
        aria-invalid={problems.length > 0 ? true : undefined}
        aria-describedby={problems.length > 0 ? `${id}-problems` : undefined}
        aria-autocomplete="list"
        aria-controls={items.length > 0 ? `${id}-suggestions` : undefined}
        aria-activedescendant={items.length > 0 ? `${id}-option-${current}` : undefined}
        onChange={(e) => {
          onChange(e.target.value);
          setCursor(e.target.selectionStart);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === " " && e.ctrlKey) {
            e.preventDefault();
            setCursor(e.currentTarget.selectionStart);
            setForced(true);
            setActive(0);
          } else if (items.length > 0 && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
            e.preventDefault();
            setActive((current + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length);
          } else if (items.length > 0 && (e.key === "Tab" || e.key === "Enter")) {
            e.preventDefault();
            apply(items[current]!);
          } else if (e.key === "Escape") {
            setCursor(null);
            setForced(false);
          }
        }}
        onBlur={() => setTimeout(() => setCursor(null), 150)}
        className={`w-full rounded-md border px-2 py-1 font-mono text-xs focus:ring-2 focus:ring-cyan-600/30 focus:outline-none ${problems.length > 0 ? "border-red-500" : "border-slate-300"}`}
      />
      {items.length > 0 && (
        <ul id={`${id}-suggestions`} role="listbox" aria-label="Suggestions" className="mt-0.5 max-h-40 overflow-y-auto rounded-md border border-slate-200 bg-white text-xs shadow">
          {items.map((c, i) => (
            <li key={`${c.kind}-${c.label}`} id={`${id}-option-${i}`} role="option" aria-selected={i === current}>
              <button
                type="button"
                tabIndex={-1}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => apply(c)}
                className={`flex w-full justify-between gap-2 px-2 py-1 text-left hover:bg-cyan-50 focus:outline-none ${i === current ? "bg-cyan-50" : ""}`}
              >
                <span className="font-mono">{c.label}</span>
                <span className="truncate text-slate-500">{c.detail}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {problems.length > 0 && (
        <ul id={`${id}-problems`} className="mt-0.5 text-xs text-red-700">
          {problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface Derivation {
  column: string;
  expression: string;
}

/** Names set by derivations before `i` that the input does not have: usable, but their types are known only after running. */
const earlierNames = (value: Derivation[], i: number, columns: Column[]) =>
  new Set(value.slice(0, i).map((x) => x.column).filter((n) => n !== "" && !columns.some((c) => c.name === n)));

/** derive's settings: new or replaced columns, each computed by an expression that may use the ones before it. */
export function DerivationsEditor({ value, onChange, columns, ctx }: { value: Derivation[]; onChange: (v: Derivation[]) => void; columns: Column[]; ctx: FormContext }) {
  const set = (i: number, d: Partial<Derivation>) => onChange(replaceItem(value, i, { ...value[i]!, ...d }));
  return (
    <fieldset>
      <legend className="mb-1 text-xs font-semibold text-slate-700">Derived columns</legend>
      {value.length === 0 && <p className="mb-1 text-xs text-slate-500">None yet. Each one adds a column, or replaces one of the same name.</p>}
      {value.map((d, i) => (
        <ListItem key={i} name="Derivation" index={i} count={value.length} onMove={(by) => onChange(moveItem(value, i, by))} onRemove={() => onChange(removeItem(value, i))} ctx={ctx} path={`derivations.${i}`}>
          <OutputColumn value={d.column} onChange={(column) => set(i, { column })} ctx={ctx} path={`derivations.${i}.column`} />
          <ExpressionEditor
            label="Expression"
            value={d.expression}
            onChange={(expression) => set(i, { expression })}
            columns={columns}
            opaque={earlierNames(value, i, columns)}
            params={ctx.params}
            serverProblems={problemsAt(ctx.placed, `derivations.${i}.expression`)}
          />
        </ListItem>
      ))}
      <AddButton what="a derived column" onClick={() => onChange([...value, { column: "", expression: "" }])} />
      <FieldProblems ctx={ctx} path="derivations" />
    </fieldset>
  );
}

function OutputColumn({ value, onChange, ctx, path }: { value: string; onChange: (v: string) => void; ctx: FormContext; path: string }) {
  const id = useId();
  return (
    <div className="mb-1">
      <label htmlFor={id} className="mb-0.5 block text-xs font-medium text-slate-600">
        Output column
      </label>
      <input id={id} value={value} placeholder="new_column" onChange={(e) => onChange(e.target.value)} className={inputClass} />
      <FieldProblems ctx={ctx} path={path} />
    </div>
  );
}
