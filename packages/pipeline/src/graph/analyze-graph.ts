import { error, warning, type Column, type Issue, type ParameterValues, type PipelineGraph } from "@sluice/model";
import type { PipelineEnvironment } from "../catalog/node-definition.ts";
import { indexGraph, portCountIssues, type GraphIndex } from "./graph-index.ts";
import { parseGraph } from "./parse-graph.ts";
import { migratePipeline } from "../format/load-pipeline.ts";
import { orderNodes } from "./topological-order.ts";
import { resolveParameters, type ResolvedParameters } from "./resolve-parameters.ts";
import { incrementalSinkIssues } from "./incremental-sinks.ts";
import { listSize, withHintBudget } from "../catalog/columns.ts";
import { withParameterText } from "../expression/check-expression.ts";

/**
 * Most columns one output port of a node may have. A node's work (and SQL) grows with its input's width, and a
 * join doubles it: 25 self-joins in a row, a 5 kB graph, gave 2^25 columns and ran the server out of memory. Past
 * this a node is refused (TOO_MANY_COLUMNS) and the nodes below it are not inferred; PostgreSQL holds 1,600 per table.
 */
export const MAX_COLUMNS = 2000;

/**
 * Most the columns of all nodes may add up to, counting each column as listSize does. Every
 * node's SQL lists its columns and validation answers them per node, so this is what a pipeline's SQL and schemas
 * grow with: a 2,000-column source of 200-character names (470 kB) through 400 select nodes made 332 MB of SQL and
 * a 367 MB validation answer, and one name of 1.9 MB through 400 nodes ran out of string length. Past it a node
 * is refused (SCHEMA_TOO_LARGE) and the nodes below it are not inferred.
 */
export const MAX_SCHEMA_SIZE = 8_000_000;

/** Most characters of parameter values the param() calls of one pipeline may write into its SQL (withParameterText). */
export const MAX_PARAMETER_TEXT = 1_000_000;

/**
 * The "did you mean" work one analysis may do (withHintBudget): tens of milliseconds, hundreds of suggestions over
 * 2,000 columns. Past it unknown names are still reported, without a suggestion.
 */
const HINT_BUDGET = 5_000_000;

/**
 * TOO_MANY_COLUMNS for each port of `outputs` wider than MAX_COLUMNS, NO_COLUMNS for each with none (a select that
 * keeps or leaves nothing, a group with neither keys nor aggregations): rows without columns cannot be shown, written
 * or read by the next node, and a run would fail on the SQL ("SELECT list is empty") rather than say which node to
 * fix. A source (no inputs) has nothing before it to narrow: what it reads has to, so its messages say so rather than
 * suggest a select node it cannot have.
 */
function widthIssues(outputs: Record<string, Column[]>, nodeId: string, label: string, source: boolean): Issue[] {
  const fix = source ? "read fewer columns (a narrower file, query or table)" : "keep fewer columns (a select node) before it";
  const none = source ? "read at least one column" : "keep at least one column (choose the columns to keep, drop fewer, or add a key or an aggregation)";
  return Object.entries(outputs).flatMap(([port, cols]) =>
    cols.length > MAX_COLUMNS
      ? [error("TOO_MANY_COLUMNS", `${label} would give ${cols.length.toLocaleString("en-US")} columns; at most ${MAX_COLUMNS.toLocaleString("en-US")} can pass from one node to the next; ${fix}.`, { nodeId, port })]
      : cols.length === 0
        ? [error("NO_COLUMNS", `${label} would give rows without any column, which nothing after it can show, read or write; ${none}.`, { nodeId, port })]
        : [],
  );
}

export interface AnalyzeOptions {
  /** Values a run supplies; parameters without one take their default. */
  params?: ParameterValues | undefined;
}

export interface GraphAnalysis {
  /** The well-formed part of the graph; undefined when the document as a whole is malformed. */
  graph: PipelineGraph | undefined;
  index: GraphIndex | undefined;
  /** Runnable order of the nodes not on or behind a cycle. */
  order: string[];
  /** Configs parsed by their node type's schema, defaults filled in. */
  configs: Map<string, unknown>;
  /** Output columns per node and output port, for nodes whose schema could be inferred. */
  portSchemas: Map<string, Record<string, Column[]>>;
  /** Every declared parameter's value for this analysis (supplied, else default). */
  params: ResolvedParameters;
  problems: Issue[];
}

const pathOf = (path: PropertyKey[]) => path.map(String).join(".");

function parseConfigs(index: GraphIndex, problems: Issue[]): Map<string, unknown> {
  const configs = new Map<string, unknown>();
  for (const [id, { node, def }] of index.nodes) {
    if (!node || !def) continue;
    const result = def.configSchema.safeParse(node.config);
    if (result.success) configs.set(id, result.data);
    else {
      for (const i of result.error.issues) {
        const field = pathOf(i.path);
        problems.push(error("INVALID_CONFIG", `${def.label}: ${field ? `${field}: ` : ""}${i.message}`, { nodeId: id, field: field || "config" }));
      }
    }
  }
  return configs;
}

/** The parse with the nodes at `failed` (indexes in the document) set aside as unreadable. */
function withoutNodes(parsed: ReturnType<typeof parseGraph>, document: unknown, failed: number[]): ReturnType<typeof parseGraph> {
  if (!failed.length || !parsed.graph) return parsed;
  const raw = (document as { nodes: { id?: unknown }[] }).nodes;
  const ids = new Set(failed.flatMap((at) => (typeof raw[at]?.id === "string" ? [raw[at].id as string] : [])));
  return {
    ...parsed,
    graph: { ...parsed.graph, nodes: parsed.graph.nodes.filter((n) => !ids.has(n.id)) },
    unreadableNodes: [...parsed.unreadableNodes, ...ids],
  };
}

/**
 * Checks a graph end to end and propagates schemas from sources to sinks. Every problem is reported at
 * once; a node whose inputs could not be inferred is not inferred itself (its own config is still
 * checked), so one mistake upstream does not flood every node below it with follow-on errors.
 */
export function analyzeGraph(input: unknown, env: PipelineEnvironment, options: AnalyzeOptions = {}): GraphAnalysis {
  return withHintBudget(HINT_BUDGET, () => withParameterText(MAX_PARAMETER_TEXT, () => analyze(input, env, options)));
}

function analyze(input: unknown, env: PipelineEnvironment, options: AnalyzeOptions): GraphAnalysis {
  // Untrusted input is migrated first (the one way in, see format/load-pipeline.ts); a node that cannot be brought up
  // to date is reported once and then treated like a malformed one, so it does not also fail its current schema.
  const migrated = migratePipeline(input);
  const none = { graph: undefined, index: undefined, order: [], configs: new Map(), portSchemas: new Map(), params: new Map(), problems: migrated.issues };
  if (migrated.unreadable) return none;
  const parsed = withoutNodes(parseGraph(migrated.document), migrated.document, migrated.failedNodes);
  const graph = parsed.graph;
  const problems: Issue[] = [...migrated.issues, ...parsed.issues];
  if (!graph) return { graph, index: undefined, order: [], configs: new Map(), portSchemas: new Map(), params: new Map(), problems };
  const { values: params, issues: parameterIssues } = resolveParameters(graph.parameters, options.params);
  for (const i of parameterIssues) problems.push(i);
  const index = indexGraph(graph, parsed);
  for (const i of [...index.issues, ...portCountIssues(index)]) problems.push(i);
  const { order, issues: cycleIssues } = orderNodes(index);
  for (const i of cycleIssues) problems.push(i);
  const configs = parseConfigs(index, problems);

  const portSchemas = new Map<string, Record<string, Column[]>>();
  let schemaTotal = 0;
  const badPorts = new Set(problems.filter((p) => p.code === "PORT_INPUT_MISSING" || p.code === "PORT_TOO_MANY_INPUTS").map((p) => p.nodeId));
  for (const id of order) {
    const { def } = index.nodes.get(id)!;
    if (!def || !configs.has(id) || badPorts.has(id) || index.blocked.has(id)) continue;
    const inputs: Record<string, Column[][]> = {};
    let known = true;
    for (const port of def.inputs) {
      inputs[port.name] = (index.incoming.get(id)?.get(port.name) ?? []).map((e) => {
        const cols = e.sourcePort === undefined ? undefined : portSchemas.get(e.edge.source)?.[e.sourcePort];
        if (!cols) known = false;
        return cols ?? [];
      });
    }
    if (!known) continue;
    const inferred = def.inferSchema({ nodeId: id, inputs, env, params }, configs.get(id));
    const label = index.nodes.get(id)?.node?.label?.trim() || def.label;
    const tooWide = inferred.ok ? widthIssues(inferred.value, id, label, def.inputs.length === 0) : [];
    if (inferred.ok && !tooWide.length) {
      // A sink's columns are its input's: what it writes, and what validation shows for it.
      const size = (def.outputs.length ? Object.values(inferred.value) : Object.values(inputs).flat()).reduce((n, cols) => n + listSize(cols), 0);
      if (schemaTotal + size <= MAX_SCHEMA_SIZE) schemaTotal += size;
      else {
        const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
        const message = `The columns of ${label} and the nodes before it add up to ${mb(schemaTotal + size)} of names; at most ${mb(MAX_SCHEMA_SIZE)} fit in one pipeline, since every node's SQL and its preview list its columns. Keep fewer or shorter columns (a select node) early on, or split the pipeline.`;
        tooWide.push(error("SCHEMA_TOO_LARGE", message, { nodeId: id }));
      }
    }
    if (tooWide.length) problems.push(...tooWide);
    else if (inferred.ok) portSchemas.set(id, inferred.value);
    // Appended one by one: a node can have more problems than a call may take arguments.
    else for (const i of inferred.issues) problems.push({ ...i, nodeId: i.nodeId ?? id });
    for (const i of def.warnings?.(configs.get(id)) ?? []) problems.push({ ...i, nodeId: i.nodeId ?? id });
  }

  for (const i of incrementalSinkIssues(index, configs)) problems.push(i);
  if (index.nodes.size > 0 && ![...index.nodes.values()].some((n) => n.def?.category === "sink")) {
    problems.push(warning("NO_SINK", "The pipeline has no sink, so a run writes nothing. Add a table or file sink."));
  }
  return { graph, index, order, configs, portSchemas, params, problems: capPerNode(problems) };
}

/**
 * Most problems listed for one node. Each unknown name in an expression is a problem of about 150 bytes, from two
 * bytes of request (`coalesce(q,q,…)`): 200 kB of expressions gave 99,800 problems and 16.7 MB of answer, and 2 MB
 * threw a RangeError. Past this a node gets one TOO_MANY_PROBLEMS (an error when any left out is one) saying how
 * many more there are.
 */
export const MAX_PROBLEMS_PER_NODE = 100;

function capPerNode(problems: Issue[]): Issue[] {
  const listed = new Map<string, number>();
  const left = new Map<string, { count: number; errors: boolean }>();
  const kept: Issue[] = [];
  for (const p of problems) {
    const n = p.nodeId === undefined ? 0 : (listed.get(p.nodeId) ?? 0);
    if (p.nodeId === undefined || n < MAX_PROBLEMS_PER_NODE) {
      kept.push(p);
      if (p.nodeId !== undefined) listed.set(p.nodeId, n + 1);
      continue;
    }
    const l = left.get(p.nodeId) ?? { count: 0, errors: false };
    left.set(p.nodeId, { count: l.count + 1, errors: l.errors || p.severity === "error" });
  }
  for (const [nodeId, l] of left) {
    const message = `${l.count.toLocaleString("en-US")} more problems of this node are not listed; fix the ones shown first.`;
    kept.push(l.errors ? error("TOO_MANY_PROBLEMS", message, { nodeId }) : warning("TOO_MANY_PROBLEMS", message, { nodeId }));
  }
  return kept;
}
