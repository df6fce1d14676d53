import type { Deps } from "../http/deps.ts";

/** Filled in once the node catalog has file sources and sinks. */
export async function seedDemo(_deps: Deps, _log: (m: string) => void) {}
