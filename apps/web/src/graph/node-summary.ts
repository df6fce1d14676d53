import type { AnyNodeDefinition } from "@sluice/pipeline";

/**
 * The one-line summary on a node's card. A saved config holds only the fields it had when it was saved, so a field a
 * node type gained since (with a default) is missing: the config is parsed first, which fills in the defaults, as
 * validation and the compiler see it (the demo's file source read "files matching undefined" without this).
 */
export function nodeSummary(def: AnyNodeDefinition | undefined, config: Record<string, unknown>): string {
  if (!def) return "";
  const parsed = def.configSchema.safeParse(config);
  try {
    return def.summary(parsed.success ? parsed.data : config);
  } catch {
    // A half-edited config can break a summary; the problems list explains what is wrong.
    return "";
  }
}
