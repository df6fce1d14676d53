import type { QueryClient } from "@tanstack/react-query";

/** Lists that other tabs of this browser show and may change: their query keys' first part. */
export type SharedList = "connections" | "files";

const CHANNEL = "sluice-changes";
const isSharedList = (v: unknown): v is SharedList => v === "connections" || v === "files";

/**
 * Tells the other tabs of this browser that `list` changed here, so their pickers and pages ask again at once;
 * this tab invalidates its own queries. Other people's changes arrive on window focus and when a picker opens.
 */
export function announceChange(list: SharedList): void {
  if (typeof BroadcastChannel === "undefined") return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage(list);
  channel.close();
}

/** Invalidates what another tab announced; returns the function that stops listening. */
export function listenForChanges(qc: QueryClient): () => void {
  if (typeof BroadcastChannel === "undefined") return () => undefined;
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (e: MessageEvent) => {
    if (isSharedList(e.data)) void qc.invalidateQueries({ queryKey: [e.data] });
  };
  return () => channel.close();
}
