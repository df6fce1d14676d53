import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import type { AnyNodeDefinition } from "@sluice/pipeline";
import { NodeIcon } from "../graph/node-icons.tsx";
import { searchNodes } from "./node-search.ts";

const WIDTH = 240;
const HEIGHT = 300;

/**
 * The small palette that opens where a connection was dropped on empty canvas: type to narrow it, Enter (or a
 * click) adds the highlighted node there, connected; Escape or a click elsewhere closes it.
 */
export function ConnectPalette({ at, types, onPick, onClose }: { at: { x: number; y: number }; types: AnyNodeDefinition[]; onPick(type: string): void; onClose(): void }) {
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const shown = useMemo(() => searchNodes(types, query), [types, query]);
  const box = useRef<HTMLDivElement>(null);
  const listId = useId();
  const current = shown[Math.min(active, shown.length - 1)];

  useEffect(() => {
    const away = (e: PointerEvent) => {
      if (!box.current?.contains(e.target as Node)) onClose();
    };
    document.addEventListener("pointerdown", away, true);
    return () => document.removeEventListener("pointerdown", away, true);
  }, [onClose]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((i) => (Math.min(i, shown.length - 1) + step + shown.length) % Math.max(shown.length, 1));
    } else if (e.key === "Enter") {
      if (current) onPick(current.type);
    } else if (e.key === "Escape") onClose();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  // Kept inside the window: a drop near the right or bottom edge opens it up and to the left.
  const left = Math.max(8, Math.min(at.x, window.innerWidth - WIDTH - 8));
  const top = Math.max(8, Math.min(at.y, window.innerHeight - HEIGHT - 8));
  return (
    <div ref={box} role="dialog" aria-label="Add a connected node" style={{ left, top, width: WIDTH, maxHeight: HEIGHT }} className="fixed z-50 flex flex-col rounded-md border border-slate-300 bg-white shadow-lg">
      <input
        autoFocus
        type="text"
        role="combobox"
        aria-label="Search nodes to connect"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={current ? `${listId}-${current.type}` : undefined}
        placeholder="Add a connected node…"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        className="m-2 rounded-md border border-slate-300 px-2 py-1 text-sm focus:border-cyan-600 focus:ring-2 focus:ring-cyan-600/30 focus:outline-none"
      />
      {shown.length === 0 && <p className="px-3 pb-2 text-sm text-slate-600">No node that fits here matches “{query}”.</p>}
      <ul id={listId} role="listbox" aria-label="Node types" className="min-h-0 flex-1 overflow-y-auto px-2 pb-2">
        {shown.map((d) => (
          <li
            key={d.type}
            id={`${listId}-${d.type}`}
            role="option"
            aria-selected={d === current}
            title={d.description}
            onPointerEnter={() => setActive(shown.indexOf(d))}
            onClick={() => onPick(d.type)}
            className={`flex cursor-pointer items-center gap-2 rounded-md px-1.5 py-1 text-sm text-slate-800 ${d === current ? "bg-cyan-50 ring-1 ring-cyan-600" : ""}`}
          >
            <NodeIcon category={d.category} />
            <span className="truncate">{d.label}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
