import { useCallback, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";

/** A panel height the user drags (or moves with the arrow keys) between bounds. */
export function useResizable(initial: number, bounds: { min: number; max: number }) {
  const [size, setSize] = useState(initial);
  const drag = useRef<{ y: number; size: number } | null>(null);
  const clamp = useCallback((v: number) => Math.min(bounds.max, Math.max(bounds.min, v)), [bounds.min, bounds.max]);
  const handleProps = {
    onPointerDown: (e: PointerEvent<HTMLElement>) => {
      drag.current = { y: e.clientY, size };
      e.currentTarget.setPointerCapture(e.pointerId);
    },
    onPointerMove: (e: PointerEvent<HTMLElement>) => {
      if (drag.current) setSize(clamp(drag.current.size + drag.current.y - e.clientY));
    },
    onPointerUp: () => {
      drag.current = null;
    },
    onKeyDown: (e: KeyboardEvent<HTMLElement>) => {
      if (e.key === "ArrowUp") setSize((s) => clamp(s + 20));
      else if (e.key === "ArrowDown") setSize((s) => clamp(s - 20));
      else return;
      e.preventDefault();
    },
  };
  return { size, handleProps };
}
