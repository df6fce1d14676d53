/** The toolbar's editing actions as glyphs on a 16x16 grid, so the toolbar fits one line; each button names itself. */
const paths = {
  undo: "M6 3.5 2.5 7 6 10.5M2.5 7h7a3.5 3.5 0 0 1 0 7H7",
  redo: "M10 3.5 13.5 7 10 10.5M13.5 7h-7a3.5 3.5 0 0 0 0 7H9",
  duplicate: "M5.5 5.5h8v8h-8zM2.5 10.5v-8h8",
  delete: "M2.5 4.5h11M6 4.5V2.5h4v2M4 4.5l.8 9h6.4l.8-9M6.8 7v4M9.2 7v4",
  layout: "M1.5 3h4v3h-4zM10.5 3h4v3h-4zM10.5 10h4v3h-4zM5.5 4.5h5M8 4.5v7h2.5",
} as const;

export type ToolbarIconName = keyof typeof paths;

export function ToolbarIcon({ name }: { name: ToolbarIconName }) {
  return (
    <svg aria-hidden viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round">
      <path d={paths[name]} />
    </svg>
  );
}
