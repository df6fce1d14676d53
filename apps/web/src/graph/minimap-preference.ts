import { useSyncExternalStore } from "react";

/** Whether canvases show their minimap: one choice for the editor and the run page, remembered in this browser. */
const KEY = "sluice.minimap";
const listeners = new Set<() => void>();
// Where storage is off (a policy, a sandbox) the choice lasts for the page.
let inMemory = true;

function read(): boolean {
  try {
    return localStorage.getItem(KEY) !== "hidden";
  } catch {
    return inMemory;
  }
}

export function setMinimapShown(shown: boolean) {
  inMemory = shown;
  try {
    if (shown) localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, "hidden");
  } catch {
    // Kept in memory only.
  }
  for (const l of listeners) l();
}

export function useMinimapShown(): boolean {
  return useSyncExternalStore((l) => {
    listeners.add(l);
    return () => void listeners.delete(l);
  }, read);
}
