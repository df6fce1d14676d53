import type { PipelineGraph } from "@sluice/model";

/**
 * Settings a new node starts with beyond its type's defaultConfig, from what the workspace already has: the
 * PostgreSQL connection when there is exactly one that is on (choosing among several is the user's), and for a
 * table sink, a table named after the pipeline. Both show in the inspector and the card, and stay editable; the
 * sink's mode stays "create", which fails rather than touch a table that exists, so a default never overwrites.
 */
export type NewNodeConfig = (type: string, graph: PipelineGraph) => Record<string, unknown> | undefined;

export interface ConnectionChoice {
  id: string;
  kind: string;
  /** Why it is off, when it is. */
  unavailable?: string | undefined;
}

const DATABASE_NODES = new Set(["postgres", "postgres-sink"]);
/** PostgreSQL keeps 63 bytes of a name; the slug is ASCII, so characters are bytes. */
const MAX_NAME = 63;

/**
 * A table name from free text: "Messy orders, counted" → "messy_orders_counted"; letters and digits kept
 * (accents dropped), runs of anything else one underscore, never a leading digit or underscore (which Sluice's
 * own tables start with). Empty when nothing is left.
 */
export function tableNameFrom(text: string): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  const named = /^[0-9]/.test(slug) ? `t_${slug}` : slug;
  return named.slice(0, MAX_NAME).replace(/_+$/, "");
}

/** `name`, or `name_2`, `name_3`… when another table sink of the graph already writes to that name. */
function freeTableName(graph: PipelineGraph, name: string): string {
  const taken = new Set(graph.nodes.filter((n) => n.type === "postgres-sink").map((n) => String(n.config.table ?? "")));
  if (!taken.has(name)) return name;
  for (let i = 2; ; i++) {
    const suffix = `_${i}`;
    const next = `${name.slice(0, MAX_NAME - suffix.length)}${suffix}`;
    if (!taken.has(next)) return next;
  }
}

export function newNodeConfig(connections: readonly ConnectionChoice[] | undefined, pipelineName: string): NewNodeConfig {
  const usable = (connections ?? []).filter((c) => c.kind === "postgres" && c.unavailable === undefined);
  const only = usable.length === 1 ? usable[0]!.id : undefined;
  return (type, graph) => {
    if (!DATABASE_NODES.has(type)) return undefined;
    const config: Record<string, unknown> = {};
    if (only !== undefined) config.connectionId = only;
    const table = tableNameFrom(pipelineName);
    if (type === "postgres-sink" && table !== "") config.table = freeTableName(graph, table);
    return Object.keys(config).length ? config : undefined;
  };
}
