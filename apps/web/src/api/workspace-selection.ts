import { WORKSPACE_HEADER } from "@sluice/model";

/**
 * The workspace this tab works in, sent with every API request once known. Remembered in localStorage so the next
 * visit opens the same one, but read only at start: switching in another tab does not retarget this tab's requests
 * under its feet (a switch reloads the app, see account-menu.tsx).
 */
const KEY = "sluice.workspace";

/** Storage the browser may refuse (private modes, tests without a DOM): never fatal. */
function storage(): Storage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

let current: string | null = storage()?.getItem(KEY) ?? null;

export const workspaceSelection = {
  id: (): string | null => current,

  /** Use and remember this workspace (the one GET /api/me resolved, or one the user chose). */
  choose(id: string | null) {
    current = id;
    try {
      if (id) storage()?.setItem(KEY, id);
      else storage()?.removeItem(KEY);
    } catch {
      // Kept in memory only, for this page.
    }
  },

  /** The header naming the workspace of a request; none until one is known (the server then takes the first membership). */
  headers(): Record<string, string> {
    return current ? { [WORKSPACE_HEADER]: current } : {};
  },

  /** A URL for a plain link (a download), which cannot send headers: the workspace goes in the query instead. */
  withQuery(url: string): string {
    if (!current) return url;
    return `${url}${url.includes("?") ? "&" : "?"}workspace=${encodeURIComponent(current)}`;
  },
};
