/** Exit codes scripts and CI can rely on. */
export const EXIT = { ok: 0, problems: 1, usage: 2, runFailed: 3, unreachable: 4 } as const;
