/**
 * The API token this browser sends, until Sluice has accounts. A Sluice served on a network (or with
 * REQUIRE_API_TOKENS=true) answers 401 without one; the app then asks for a token (see token-dialog.tsx) and sends
 * it as `Authorization: Bearer` on every call. Kept in sessionStorage (this tab), or localStorage when the user asks
 * to be remembered on this browser.
 */
export type TokenRefusal = "TOKEN_REQUIRED" | "INVALID_TOKEN";

export interface TokenState {
  token: string | null;
  /** Why the API last refused, until a token is given; null when nothing is asked for. */
  refused: TokenRefusal | null;
}

const KEY = "sluice.apiToken";

/** Storage the browser may refuse (private modes, tests without a DOM): never fatal. */
function storage(kind: "sessionStorage" | "localStorage"): Storage | undefined {
  try {
    return globalThis[kind] ?? undefined;
  } catch {
    return undefined;
  }
}

function readStored(): string | null {
  return storage("sessionStorage")?.getItem(KEY) ?? storage("localStorage")?.getItem(KEY) ?? null;
}

let state: TokenState = { token: readStored(), refused: null };
const listeners = new Set<() => void>();
const update = (next: TokenState) => {
  state = next;
  for (const l of listeners) l();
};

export const apiToken = {
  state: (): TokenState => state,

  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },

  /** The header to send with every API call; none when no token was given. */
  headers(): Record<string, string> {
    return state.token ? { authorization: `Bearer ${state.token}` } : {};
  },

  use(token: string, remember: boolean) {
    this.forget();
    try {
      storage(remember ? "localStorage" : "sessionStorage")?.setItem(KEY, token);
    } catch {
      // Kept in memory only, for this page.
    }
    update({ token, refused: null });
  },

  forget() {
    storage("sessionStorage")?.removeItem(KEY);
    storage("localStorage")?.removeItem(KEY);
    update({ ...state, token: null });
  },

  /** The API answered 401 with this code: ask for a token (a token that was refused is dropped). */
  refusedWith(code: string) {
    if (code !== "TOKEN_REQUIRED" && code !== "INVALID_TOKEN") return;
    if (code === "INVALID_TOKEN" && state.token) this.forget();
    update({ ...state, refused: code });
  },

  /** The user closed the request for a token without giving one. */
  dismiss() {
    update({ ...state, refused: null });
  },
};
