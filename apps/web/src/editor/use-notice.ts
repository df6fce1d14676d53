import { useCallback, useEffect, useRef, useState } from "react";

/** A short message at the bottom of the editor (saved, refused connection, failed paste) that goes away by itself. */
export function useNotice(ms = 5000) {
  const [notice, setNotice] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const say = useCallback(
    (m: string) => {
      setNotice(m);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setNotice(null), ms);
    },
    [ms],
  );
  useEffect(() => () => clearTimeout(timer.current), []);
  return { notice, say };
}
