import type { ReactNode } from "react";
import { Button } from "../components/button.tsx";
import { useDrawer } from "./use-drawer.ts";

/** A panel on the editor's right edge with a title and a close button (Parameters, Schedules); Escape closes it. */
export function SideDrawer({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useDrawer<HTMLElement>(onClose);
  return (
    <aside ref={ref} tabIndex={-1} aria-label={title} className="flex w-80 shrink-0 flex-col overflow-y-auto border-l border-slate-200 bg-white">
      <header className="flex items-center justify-between border-b border-slate-200 px-3 py-2">
        <h2 className="text-sm font-semibold">{title}</h2>
        <Button variant="ghost" onClick={onClose} aria-label={`Close ${title.toLowerCase()}`}>
          ✕
        </Button>
      </header>
      {children}
    </aside>
  );
}
