import { useEffect, useRef } from "react";

/** Close functions of the open drawers, the newest last: Escape closes only that one. */
const openDrawers: (() => void)[] = [];

const inOwnKeyHandler = (t: EventTarget | null) => t instanceof Element && t.closest("dialog, [role=dialog], [role=listbox], [role=menu]") !== null;

/**
 * A side drawer's keyboard: it takes focus when it opens, Escape closes it (the newest first, when two are open;
 * not while a dialog, list or menu inside has the key), and focus goes back to the button that opened it. Returns
 * the ref for the drawer's element, which needs tabIndex={-1}.
 */
export function useDrawer<T extends HTMLElement>(onClose: () => void) {
  const ref = useRef<T>(null);
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  }, [onClose]);
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const entry = () => close.current();
    openDrawers.push(entry);
    ref.current?.focus({ preventScroll: true });
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || e.defaultPrevented || openDrawers.at(-1) !== entry || inOwnKeyHandler(e.target)) return;
      e.preventDefault();
      entry();
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      openDrawers.splice(openDrawers.indexOf(entry), 1);
      // Focus that was inside the drawer is lost with it; it returns to where it came from.
      const focused = document.activeElement;
      if (opener?.isConnected && (focused === null || focused === document.body)) opener.focus();
    };
  }, []);
  return ref;
}
