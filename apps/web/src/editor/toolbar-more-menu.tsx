import { useEffect, useRef } from "react";
import { moveFocus, usePopover } from "./use-popover.ts";

export interface MoreMenuItem {
  label: string;
  pressed: boolean;
  onSelect: () => void;
}

/** What a narrow toolbar has no room for, behind one "More" button: a menu of toggles (the side panels). */
export function ToolbarMoreMenu({ items, className = "" }: { items: MoreMenuItem[]; className?: string }) {
  const popover = usePopover();
  return (
    <div ref={popover.rootRef} className={`relative ${className}`} onKeyDown={popover.onKeyDown} onBlur={popover.onBlur}>
      <button
        ref={popover.triggerRef}
        type="button"
        aria-haspopup="menu"
        aria-expanded={popover.open}
        aria-controls={popover.open ? popover.panelId : undefined}
        onClick={popover.toggle}
        className="inline-flex items-center gap-1 rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-200/70"
      >
        More <span aria-hidden>▾</span>
      </button>
      {popover.open && (
        <Menu
          id={popover.panelId}
          items={items}
          onDone={(item) => {
            popover.close(true);
            item.onSelect();
          }}
        />
      )}
    </div>
  );
}

function Menu({ id, items, onDone }: { id: string; items: MoreMenuItem[]; onDone: (item: MoreMenuItem) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.querySelector<HTMLElement>("[role=menuitemcheckbox]")?.focus(), []);
  return (
    <div
      ref={ref}
      id={id}
      role="menu"
      aria-label="More"
      onKeyDown={(e) => moveFocus(e, "[role=menuitemcheckbox]")}
      className="absolute top-full right-0 z-50 mt-2 w-48 rounded-lg border border-slate-200 bg-white p-1 text-sm shadow-lg"
    >
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitemcheckbox"
          aria-checked={item.pressed}
          tabIndex={-1}
          onClick={() => onDone(item)}
          className="flex w-full items-center justify-between rounded-md px-2 py-1.5 text-left text-slate-800 hover:bg-slate-100 focus:bg-slate-100 focus:outline-none"
        >
          {item.label}
          {item.pressed && <span aria-hidden>✓</span>}
        </button>
      ))}
    </div>
  );
}
