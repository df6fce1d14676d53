import { useEffect, useId, useRef, useState, type FocusEvent, type KeyboardEvent } from "react";

/**
 * Open state of a small panel that hangs from a button (the toolbar's problems and "More"): a click elsewhere
 * closes it, Escape closes it and gives the focus back to its button. Escape stops there, so it does not also close
 * a drawer behind it.
 */
export function usePopover() {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => rootRef.current && !rootRef.current.contains(e.target as Node) && setOpen(false);
    document.addEventListener("pointerdown", away);
    return () => document.removeEventListener("pointerdown", away);
  }, [open]);
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) triggerRef.current?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (open && e.key === "Escape") {
      e.stopPropagation();
      close(true);
    }
  };
  // Tabbing out closes it too (a click elsewhere is the listener's: it may land where nothing takes the focus).
  const onBlur = (e: FocusEvent) => {
    if (e.relatedTarget && !rootRef.current?.contains(e.relatedTarget as Node)) setOpen(false);
  };
  return { open, toggle: () => setOpen((o) => !o), close, rootRef, triggerRef, panelId, onKeyDown, onBlur };
}

/** Moves the focus among a panel's items with the arrow keys, Home and End, as menus and lists do. */
export function moveFocus(e: KeyboardEvent<HTMLElement>, selector: string) {
  const items = [...e.currentTarget.querySelectorAll<HTMLElement>(selector)];
  const at = items.indexOf(document.activeElement as HTMLElement);
  const targets: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 };
  const next = targets[e.key];
  if (next === undefined || items.length === 0) return;
  e.preventDefault();
  items[(next + items.length) % items.length]?.focus();
}
