import type { ResolvedParameters } from "@sluice/pipeline";
import { useState, type ComponentProps, type ReactNode } from "react";
import type { Column } from "@sluice/model";
import { Button } from "../../components/button.tsx";
import { problemsAt, type PlacedProblems } from "./problem-placement.ts";
import { formatCount } from "../../lib/format-duration.ts";

/** What every field of the inspector needs besides its own value: the columns per input port, and the problems. */
export interface FormContext {
  inputs: Record<string, Column[][]>;
  placed: PlacedProblems;
  /** The pipeline's parameters (defaults), for param('name') in expressions. */
  params: ResolvedParameters;
}

export const inputClass =
  "w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:border-cyan-600 focus:ring-2 focus:ring-cyan-600/30 focus:outline-none";

/** The columns reaching a port: the first edge's (ports with several edges, like union's, are not picked from). */
export const columnsOf = (ctx: FormContext, port: string): Column[] => ctx.inputs[port]?.[0] ?? [];

/** The problems placed at this path, in red under the field. */
export function FieldProblems({ ctx, path, id }: { ctx: FormContext; path: string; id?: string }) {
  const here = problemsAt(ctx.placed, path);
  if (here.length === 0) return null;
  return (
    <ul id={id} className="mt-0.5 text-xs">
      {here.map((p, i) => (
        <li key={i} className={p.severity === "warning" ? "text-amber-800" : "text-red-700"}>
          {p.message}
        </li>
      ))}
    </ul>
  );
}

export function Labelled({ label, path, ctx, children, id, hint }: { label: string; path: string; ctx: FormContext; children: ReactNode; id: string; hint?: string | undefined }) {
  return (
    <div className="mb-2">
      <label htmlFor={id} className="mb-0.5 block text-xs font-medium text-slate-600">
        {label}
      </label>
      {children}
      {hint && (
        <p id={`${id}-hint`} className="mt-0.5 text-xs text-slate-500">
          {hint}
        </p>
      )}
      <FieldProblems ctx={ctx} path={path} />
    </div>
  );
}

/** Move up, move down and remove for item `index` of a list; names say which item, for screen readers and tests. */
export function ItemControls({ name, index, count, onMove, onRemove }: { name: string; index: number; count: number; onMove: (by: number) => void; onRemove: () => void }) {
  const what = `${name.toLowerCase()} ${index + 1}`;
  return (
    <span className="flex gap-0.5">
      <Button variant="ghost" className="!px-1 !py-0" aria-label={`Move ${what} up`} disabled={index === 0} onClick={() => onMove(-1)}>
        ↑
      </Button>
      <Button variant="ghost" className="!px-1 !py-0" aria-label={`Move ${what} down`} disabled={index === count - 1} onClick={() => onMove(1)}>
        ↓
      </Button>
      <Button variant="ghost" className="!px-1 !py-0" aria-label={`Remove ${what}`} onClick={onRemove}>
        ✕
      </Button>
    </span>
  );
}

/** A bordered list item named "<name> <n>" (a group, so tests and screen readers can find its fields). */
export function ListItem({
  name,
  index,
  count,
  onMove,
  onRemove,
  ctx,
  path,
  children,
}: {
  name: string;
  index: number;
  count: number;
  onMove: (by: number) => void;
  onRemove: () => void;
  /** Problems about the item as a whole (e.g. a join key pair whose types differ) show under it. */
  ctx: FormContext;
  path: string;
  children: ReactNode;
}) {
  return (
    <div className="mb-2 rounded-md border border-slate-200 p-2" role="group" aria-label={`${name} ${index + 1}`}>
      <div className="mb-1 flex items-center justify-between text-xs text-slate-500">
        <span>
          {name} {index + 1}
        </span>
        <ItemControls name={name} index={index} count={count} onMove={onMove} onRemove={onRemove} />
      </div>
      {children}
      <FieldProblems ctx={ctx} path={path} />
    </div>
  );
}

export function AddButton({ what, onClick }: { what: string; onClick: () => void }) {
  return (
    <Button variant="ghost" className="!px-1.5 !py-0.5 text-xs" onClick={onClick}>
      + Add {what}
    </Button>
  );
}

/**
 * A text input for a value that is parsed as it is typed (a number, a list). What was typed stays on screen
 * while it still means the current value, so "1." on the way to "1.5", or "a, " on the way to "a, b", is
 * not rewritten under the cursor; a value changed elsewhere (undo, the JSON editor) shows as soon as it differs.
 */
export function DraftInput<T>({ value, parse, format, onChange, ...props }: Omit<ComponentProps<"input">, "value" | "onChange"> & { value: T; parse: (text: string) => T; format: (v: T) => string; onChange: (v: T) => void }) {
  const [draft, setDraft] = useState(() => format(value));
  const shown = JSON.stringify(parse(draft)) === JSON.stringify(value) ? draft : format(value);
  return (
    <input
      {...props}
      value={shown}
      onChange={(e) => {
        setDraft(e.target.value);
        onChange(parse(e.target.value));
      }}
    />
  );
}

/** The first `page` items of a long list, and a button to draw more of them. */
export function usePaged<T>(items: readonly T[], page: number): { shown: readonly T[]; more: ReactNode } {
  const [limit, setLimit] = useState(page);
  const hidden = items.length - limit;
  const more =
    hidden > 0 ? (
      <Button variant="ghost" className="!px-1.5 !py-0.5 text-xs" onClick={() => setLimit(limit + page)}>
        Show {Math.min(page, hidden)} more (of {formatCount(hidden)} not shown)
      </Button>
    ) : null;
  return { shown: hidden > 0 ? items.slice(0, limit) : items, more };
}
