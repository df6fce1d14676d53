import { useRef } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { CellValue } from "./cell-value.tsx";

export interface GridColumn {
  name: string;
  type: string;
  /** A line under the header, e.g. the column's profile. */
  note?: string | undefined;
}

const ROW_HEIGHT = 28;
const COL_WIDTH = 168;
const NUMBER_WIDTH = 56;

/**
 * Rows by columns, both virtualized, so 1,000 rows by 100 columns scroll without rendering 100,000 cells.
 * Values are shown by CellValue: nulls marked, doubles to 15 significant digits with the full value on hover.
 */
export function DataGrid({
  columns,
  rows,
  label,
  onColumn,
  activeColumn,
}: {
  columns: GridColumn[];
  rows: Record<string, unknown>[];
  label: string;
  /** Makes each header a button (e.g. to trace the column's lineage); `activeColumn` is shown pressed. */
  onColumn?: ((name: string) => void) | undefined;
  activeColumn?: string | null | undefined;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const rowV = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const colV = useVirtualizer({
    horizontal: true,
    count: columns.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => COL_WIDTH,
    overscan: 3,
  });
  const width = NUMBER_WIDTH + colV.getTotalSize();
  const headerHeight = columns.some((c) => c.note) ? 56 : 40;
  return (
    <div
      ref={scroller}
      role="grid"
      aria-label={label}
      aria-rowcount={rows.length + 1}
      aria-colcount={columns.length}
      tabIndex={0}
      className="relative h-full overflow-auto font-mono text-xs focus:ring-2 focus:ring-cyan-600 focus:outline-none focus:ring-inset"
    >
      <div style={{ width, height: headerHeight + rowV.getTotalSize() }} className="relative">
        <div role="row" aria-rowindex={1} className="sticky top-0 z-10 border-b border-slate-300 bg-slate-100" style={{ width, height: headerHeight }}>
          {colV.getVirtualItems().map((c) => {
            const col = columns[c.index]!;
            return (
              <div
                key={c.key}
                role="columnheader"
                aria-colindex={c.index + 1}
                className="absolute top-0 border-r border-slate-200 px-2 py-1 font-sans"
                style={{ left: NUMBER_WIDTH + c.start, width: c.size, height: headerHeight }}
                title={`${col.name} (${col.type})${col.note ? `\n${col.note}` : ""}`}
              >
                {onColumn ? (
                  <button
                    type="button"
                    data-lineage-keep
                    aria-pressed={activeColumn === col.name}
                    onClick={() => onColumn(col.name)}
                    className={`-mx-1 block w-[calc(100%+0.5rem)] rounded px-1 text-left hover:bg-cyan-100 focus:ring-2 focus:ring-cyan-600 focus:outline-none ${activeColumn === col.name ? "bg-amber-100" : ""}`}
                  >
                    <HeaderText col={col} />
                  </button>
                ) : (
                  <HeaderText col={col} />
                )}
              </div>
            );
          })}
        </div>
        {rowV.getVirtualItems().map((r) => {
          const row = rows[r.index]!;
          return (
            <div
              key={r.key}
              role="row"
              aria-rowindex={r.index + 2}
              className="absolute left-0 border-b border-slate-100 hover:bg-cyan-50/50"
              style={{ top: headerHeight + r.start, height: r.size, width }}
            >
              <div className="absolute top-0 left-0 px-2 py-1.5 text-right text-slate-600" style={{ width: NUMBER_WIDTH }}>
                {r.index + 1}
              </div>
              {colV.getVirtualItems().map((c) => {
                const v = row[columns[c.index]!.name];
                return (
                  <div
                    key={c.key}
                    role="gridcell"
                    aria-colindex={c.index + 1}
                    className="absolute top-0 truncate border-r border-slate-100 px-2 py-1.5"
                    style={{ left: NUMBER_WIDTH + c.start, width: c.size }}
                  >
                    <CellValue value={v} />
                  </div>
                );
              })}
            </div>
          );
        })}
      </div>
    </div>
  );
}

function HeaderText({ col }: { col: GridColumn }) {
  return (
    <>
      <span className="block truncate font-semibold text-slate-800">{col.name}</span>
      <span className="block truncate text-[10px] text-slate-600">{col.type}</span>
      {col.note && <span className="block truncate text-[10px] text-slate-600">{col.note}</span>}
    </>
  );
}
