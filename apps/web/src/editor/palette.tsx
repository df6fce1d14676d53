import { useMemo, useState } from "react";
import { nodeCatalog, type AnyNodeDefinition } from "@sluice/pipeline";
import { NodeIcon } from "../graph/node-icons.tsx";
import { searchNodes } from "./node-search.ts";

export const PALETTE_MIME = "application/x-sluice-node";

const groups: { title: string; match: (d: AnyNodeDefinition) => boolean }[] = [
  { title: "Sources", match: (d) => d.category === "source" },
  { title: "Transforms", match: (d) => d.category !== "source" && d.category !== "sink" },
  { title: "Sinks", match: (d) => d.category === "sink" },
];

/** Node types to drag onto the canvas, or click to add next to the selection. */
export function Palette({ onAdd }: { onAdd: (type: string) => void }) {
  const [query, setQuery] = useState("");
  const shown = useMemo(() => searchNodes(nodeCatalog, query), [query]);
  return (
    <aside aria-label="Node palette" className="flex w-48 shrink-0 flex-col border-r border-slate-200 bg-white">
      <div className="p-2">
        <input
          type="search"
          aria-label="Search nodes"
          placeholder="Search nodes…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          className="w-full rounded-md border border-slate-300 px-2 py-1 text-sm focus:border-cyan-600 focus:ring-2 focus:ring-cyan-600/30 focus:outline-none"
        />
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto px-2 pb-3">
        {shown.length === 0 && <p className="px-1 text-sm text-slate-500">No node matches “{query}”.</p>}
        {groups.map((g) => {
          const defs = shown.filter(g.match);
          if (defs.length === 0) return null;
          return (
            <section key={g.title} aria-label={g.title} className="mt-2">
              <h2 className="px-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">{g.title}</h2>
              <ul className="mt-1 space-y-0.5">
                {defs.map((d) => (
                  <li key={d.type}>
                    <button
                      type="button"
                      draggable
                      onDragStart={(e) => {
                        e.dataTransfer.setData(PALETTE_MIME, d.type);
                        e.dataTransfer.effectAllowed = "copy";
                      }}
                      onClick={() => onAdd(d.type)}
                      title={d.description}
                      aria-label={`Add ${d.label}`}
                      className="flex w-full cursor-grab items-center gap-2 rounded-md px-1.5 py-1 text-left text-sm text-slate-800 hover:bg-slate-100 focus:ring-2 focus:ring-cyan-600 focus:outline-none"
                    >
                      <NodeIcon category={d.category} />
                      <span className="truncate">{d.label}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </aside>
  );
}
