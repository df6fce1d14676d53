import { useId, useMemo, useRef, useState } from "react";
import type { Column } from "@sluice/model";
import { checkExpression, completeExpression, parseExpression, type Completion } from "@sluice/pipeline";

/** What is wrong with an expression, checked in the browser as the user types, with line and column. */
export function expressionProblems(source: string, columns: readonly Column[], opaque: ReadonlySet<string>): string[] {
  if (source.trim() === "") return [];
  const parsed = parseExpression(source);
  const problems = parsed.ok ? checkExpression(parsed.value, columns, { opaque }).problems : parsed.problems;
  return problems.map((p) => `${p.message} (line ${p.span.start.line}, column ${p.span.start.column})`);
}

/** An expression field with column and function completion (Ctrl+Space, or as you type a name) and inline errors. */
export function ExpressionEditor({ label, value, onChange, columns, opaque }: { label: string; value: string; onChange: (v: string) => void; columns: readonly Column[]; opaque: ReadonlySet<string> }) {
  const id = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  const [cursor, setCursor] = useState<number | null>(null);
  const problems = useMemo(() => expressionProblems(value, columns, opaque), [value, columns, opaque]);
  const completion = useMemo(() => (cursor === null ? null : completeExpression(value, cursor, columns)), [value, cursor, columns]);
  const items = completion && completion.to > completion.from ? completion.items.slice(0, 8) : [];

  const apply = (c: Completion) => {
    if (!completion) return;
    const next = value.slice(0, completion.from) + c.insert + value.slice(completion.to);
    onChange(next);
    const at = completion.from + c.insert.length;
    setCursor(null);
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
        onChange={(e) => {
          onChange(e.target.value);
          setCursor(e.target.selectionStart);
        }}
        onKeyDown={(e) => {
          if (e.key === "Tab" && items.length > 0) {
            e.preventDefault();
            apply(items[0]!);
          } else if (e.key === "Escape") setCursor(null);
        }}
        onBlur={() => setTimeout(() => setCursor(null), 150)}
        className={`w-full rounded-md border px-2 py-1 font-mono text-xs focus:ring-2 focus:ring-cyan-600/30 focus:outline-none ${problems.length > 0 ? "border-red-500" : "border-slate-300"}`}
      />
      {items.length > 0 && (
        <ul role="listbox" aria-label="Suggestions" className="mt-0.5 max-h-40 overflow-y-auto rounded-md border border-slate-200 bg-white text-xs shadow">
          {items.map((c, i) => (
            <li key={`${c.kind}-${c.label}`} role="option" aria-selected={i === 0}>
              <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => apply(c)} className="flex w-full justify-between gap-2 px-2 py-1 text-left hover:bg-cyan-50 focus:bg-cyan-50 focus:outline-none">
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

/** derive's settings: new or replaced columns, each computed by an expression that may use the ones before it. */
export function DerivationsEditor({ value, onChange, columns }: { value: Derivation[]; onChange: (v: Derivation[]) => void; columns: Column[] }) {
  const set = (i: number, d: Partial<Derivation>) => onChange(value.map((x, j) => (j === i ? { ...x, ...d } : x)));
  return (
    <div>
      {value.map((d, i) => {
        const earlier = value.slice(0, i).map((x) => x.column).filter((n) => n !== "" && !columns.some((c) => c.name === n));
        return (
          <div key={i} className="mb-2 rounded-md border border-slate-200 p-2" role="group" aria-label={`Derivation ${i + 1}`}>
            <label className="mb-1 block text-xs font-medium text-slate-600">
              Output column
              <input value={d.column} onChange={(e) => set(i, { column: e.target.value })} className="mt-0.5 w-full rounded-md border border-slate-300 px-2 py-1 text-sm focus:ring-2 focus:ring-cyan-600/30 focus:outline-none" />
            </label>
            <ExpressionEditor label="Expression" value={d.expression} onChange={(expression) => set(i, { expression })} columns={columns} opaque={new Set(earlier)} />
            <button type="button" className="text-xs text-slate-600 hover:underline" onClick={() => onChange(value.filter((_, j) => j !== i))}>
              Remove derivation {i + 1}
            </button>
          </div>
        );
      })}
      <button type="button" className="text-xs text-cyan-800 hover:underline" onClick={() => onChange([...value, { column: "", expression: "" }])}>
        + Add a derived column
      </button>
    </div>
  );
}
