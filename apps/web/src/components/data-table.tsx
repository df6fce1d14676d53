import { useId, type ReactNode } from "react";

export interface HeaderCell {
  label: string;
  /** Numbers line up on the right. */
  numeric?: boolean;
  /** Shown to screen readers only, e.g. an actions column. */
  hidden?: boolean;
}

/** The app's list tables: one look for runs, files and nodes; rows come from the caller. */
export function DataTable({ columns, children }: { columns: HeaderCell[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-sm">
        <thead className="bg-slate-50 text-left text-xs text-slate-600">
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col" className={`px-3 py-2 font-medium ${c.numeric ? "text-right" : ""}`}>
                {c.hidden ? <span className="sr-only">{c.label}</span> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

/** A titled part of a page, named for assistive technology by its heading. */
export function PageSection({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id}>
      <h2 id={id} className="mb-2 font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}
