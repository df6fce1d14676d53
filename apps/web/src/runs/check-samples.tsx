import { CellValue } from "../components/cell-value.tsx";
import { DataTable } from "../components/data-table.tsx";
import { formatCount } from "../lib/format-duration.ts";

/**
 * The failing rows a rule kept (at most 20), as a plain table: few enough that the preview's virtualized grid
 * would only add weight. Nulls are marked, as in the grid, since a null is often why a row fails.
 */
export function CheckSamples({ samples, total, label }: { samples: Record<string, unknown>[]; total: number; label: string }) {
  if (samples.length === 0) return <p className="text-xs text-slate-500">No sample rows were kept for this rule.</p>;
  const columns = [...new Set(samples.flatMap((s) => Object.keys(s)))];
  return (
    <div aria-label={label} role="group" className="space-y-1">
      <p className="text-xs text-slate-600">
        {samples.length < total ? `First ${formatCount(samples.length)} of ${formatCount(total)} failing rows` : `The failing row${total === 1 ? "" : "s"}`}
      </p>
      <DataTable columns={columns.map((c) => ({ label: c }))}>
        {samples.map((row, i) => (
          <tr key={i} data-testid="sample-row">
            {columns.map((c) => {
              return (
                <td key={c} className="px-3 py-1 font-mono text-xs">
                  <CellValue value={row[c]} />
                </td>
              );
            })}
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
