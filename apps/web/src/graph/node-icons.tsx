import type { NodeCategory } from "@sluice/pipeline";

/** One glyph per category, drawn on a 16x16 grid; the colour tells sources, transforms and sinks apart. */
const glyphs: Record<NodeCategory, string> = {
  source: "M3 3h10v3H3zM3 7h10v3H3zM3 11h10v2H3z",
  structure: "M2 3h5v10H2zM9 3h5v10H9z",
  clean: "M3 3l10 0-4 5v5l-2-1V8z",
  types: "M3 4h10M8 4v9M5 13h6",
  compute: "M3 8h10M8 3v10",
  combine: "M3 4h4l2 4-2 4H3M13 4H9l-2 4 2 4h4",
  summarize: "M12 3H4l4 5-4 5h8",
  quality: "M8 2l5 2v4c0 3-2.2 5-5 6-2.8-1-5-3-5-6V4zM5.5 8l2 2 3-3.5",
  sink: "M3 3h10v7l-5 4-5-4z",
};

export const categoryColour: Record<NodeCategory, string> = {
  source: "bg-emerald-600",
  structure: "bg-sky-600",
  clean: "bg-sky-600",
  types: "bg-sky-600",
  compute: "bg-sky-600",
  combine: "bg-indigo-600",
  summarize: "bg-indigo-600",
  quality: "bg-teal-600",
  sink: "bg-amber-600",
};

export function NodeIcon({ category }: { category: NodeCategory }) {
  return (
    <span aria-hidden className={`inline-flex h-6 w-6 shrink-0 items-center justify-center rounded ${categoryColour[category]}`}>
      <svg viewBox="0 0 16 16" className="h-4 w-4" fill="none" stroke="white" strokeWidth="1.6" strokeLinejoin="round">
        <path d={glyphs[category]} />
      </svg>
    </span>
  );
}
