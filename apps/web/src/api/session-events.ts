/**
 * What the request layer reports to the app shell: the session is gone (401 SIGN_IN_REQUIRED), or the chosen
 * workspace is no longer one of ours (404 WORKSPACE_NOT_FOUND). The shell decides where to go (main.tsx); the
 * request layer knows no routes.
 */
export type SessionEvent = "sign-in-required" | "workspace-gone";

const listeners = new Set<(e: SessionEvent) => void>();

export const sessionEvents = {
  subscribe(listener: (e: SessionEvent) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  emit(e: SessionEvent) {
    for (const l of listeners) l(e);
  },
};
