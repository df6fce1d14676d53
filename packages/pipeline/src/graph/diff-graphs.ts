import type { PipelineGraph, PipelineNode } from "@sluice/model";

/** Lines for people, e.g. `node "clean" changed: columns, label`; positions are not changes. */
export function diffGraphs(before: PipelineGraph, after: PipelineGraph): string[] {
  const out: string[] = [];
  // Where runs execute ("auto" and absent are the same); a change of it changes what a run does.
  const engine = (g: PipelineGraph) => g.engine ?? "auto";
  if (engine(before) !== engine(after)) out.push(`engine ${engine(before)} → ${engine(after)}`);
  const oldParams = new Map((before.parameters ?? []).map((p) => [p.name, p]));
  const newParams = new Map((after.parameters ?? []).map((p) => [p.name, p]));
  for (const [name, p] of newParams) {
    const o = oldParams.get(name);
    if (!o) out.push(`parameter "${name}" (${p.type}) added`);
    else if (!same(o, p)) out.push(`parameter "${name}" changed`);
  }
  for (const name of oldParams.keys()) if (!newParams.has(name)) out.push(`parameter "${name}" removed`);
  const old = new Map(before.nodes.map((n) => [n.id, n]));
  const neu = new Map(after.nodes.map((n) => [n.id, n]));
  for (const n of after.nodes) if (!old.has(n.id)) out.push(`node "${n.id}" (${n.type}) added`);
  for (const n of before.nodes) if (!neu.has(n.id)) out.push(`node "${n.id}" (${n.type}) removed`);
  for (const n of after.nodes) {
    const o = old.get(n.id);
    if (!o) continue;
    const fields = changedFields(o, n);
    if (fields.length) out.push(`node "${n.id}" changed: ${fields.join(", ")}`);
  }
  const key = (e: PipelineGraph["edges"][number]) => `${e.source}.${e.sourcePort ?? "out"} → ${e.target}.${e.targetPort ?? "in"}`;
  // Counted, not a set: a union may take the same input twice, and a third copy is a third copy of its rows.
  const count = (g: PipelineGraph) => {
    const n = new Map<string, number>();
    for (const e of g.edges) n.set(key(e), (n.get(key(e)) ?? 0) + 1);
    return n;
  };
  const oldEdges = count(before);
  const newEdges = count(after);
  const times = (n: number) => (n > 1 ? ` (${n} times)` : "");
  for (const [k, n] of newEdges) if (n > (oldEdges.get(k) ?? 0)) out.push(`edge ${k} added${times(n - (oldEdges.get(k) ?? 0))}`);
  for (const [k, n] of oldEdges) if (n > (newEdges.get(k) ?? 0)) out.push(`edge ${k} removed${times(n - (newEdges.get(k) ?? 0))}`);
  // The order of a port's edges is the order of its inputs (a union's rows and columns come first input first).
  const inputs = (g: PipelineGraph) => {
    const by = new Map<string, string[]>();
    for (const e of g.edges) {
      const port = `${e.target}.${e.targetPort ?? "in"}`;
      by.set(port, [...(by.get(port) ?? []), `${e.source}.${e.sourcePort ?? "out"}`]);
    }
    return by;
  };
  const oldInputs = inputs(before);
  for (const [port, sources] of inputs(after)) {
    const was = oldInputs.get(port);
    if (was && sources.length > 1 && was.length === sources.length && !same(was, sources) && same([...was].sort(), [...sources].sort())) {
      out.push(`inputs of ${port} reordered: ${sources.join(", ")}`);
    }
  }
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function changedFields(a: PipelineNode, b: PipelineNode): string[] {
  const fields: string[] = [];
  if (a.type !== b.type) fields.push(`type (${a.type} → ${b.type})`);
  if ((a.label ?? "") !== (b.label ?? "")) fields.push("label");
  for (const k of new Set([...Object.keys(a.config), ...Object.keys(b.config)])) if (!same(a.config[k], b.config[k])) fields.push(`config.${k}`);
  return fields;
}
