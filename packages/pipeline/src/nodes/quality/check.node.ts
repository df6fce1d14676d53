import { z } from "zod";
import { error, failAll, ok } from "@sluice/model";
import { defineNode, type InferContext } from "../../catalog/node-definition.ts";
import { checkRule, compileRule, describeRule, ruleSchema, type RuleInputs } from "./check-rules.ts";
import { passThrough } from "../../catalog/node-lineage.ts";

const configSchema = z.object({
  /** Evaluated on every row that passes through; the rows themselves pass on unchanged. */
  rules: z.array(ruleSchema).default([]),
});
type CheckConfig = z.infer<typeof configSchema>;

const inputsOf = (ctx: InferContext): RuleInputs => ({
  nodeId: ctx.nodeId,
  input: ctx.inputs.in?.[0] ?? [],
  reference: ctx.inputs.reference?.[0],
  params: ctx.params,
});

export const checkNode = defineNode<CheckConfig>({
  type: "check",
  version: 1,
  category: "quality",
  label: "Check data quality",
  description: "Test rows against rules (not null, unique, accepted values, range, pattern, row count, lookup, expression); a failing rule warns or stops the run before anything is written.",
  inputs: [
    { name: "in", label: "Rows" },
    { name: "reference", label: "Reference", minEdges: 0, maxEdges: 1 },
  ],
  outputs: [{ name: "out", label: "Rows" }],
  configSchema,
  defaultConfig: { rules: [] },
  summary: (c) => {
    if (c.rules.length === 0) return "no rules";
    const fails = c.rules.filter((r) => r.severity === "fail").length;
    return `${c.rules.length} rule${c.rules.length === 1 ? "" : "s"}${fails ? `, ${fails} stop the run` : ""}: ${c.rules.map(describeRule).join("; ")}`.slice(0, 80);
  },
  inferSchema(ctx, config) {
    const x = inputsOf(ctx);
    const issues = config.rules.flatMap((r, i) => checkRule(r, `rules.${i}`, x));
    if (x.reference && !config.rules.some((r) => r.kind === "referential")) {
      issues.push(error("REFERENCE_UNUSED", "The Reference input is only read by a lookup (referential) rule; add one or disconnect it.", { nodeId: ctx.nodeId, port: "reference" }));
    }
    return issues.length ? failAll(issues) : ok({ out: x.input });
  },
  // Rows pass unchanged: a rule warns or stops the run, it never changes or drops a row.
  lineage: (ctx) => ({ out: passThrough(ctx.inputs.in?.[0] ?? []) }),
  // The reference input's rows are looked up, not passed on, so only without one is rows out = rows in.
  keepsRowCount: (c) => !c.rules.some((r) => r.kind === "referential"),
  // The failing rows kept as samples are the first in input order.
  rowOrder: () => "uses",
  compile(ctx, config) {
    const relation = ctx.relations.in![0]!;
    const x = { ...inputsOf(ctx), relation, referenceRelation: ctx.relations.reference?.[0], dialect: ctx.dialect };
    return { kind: "query", outputs: { out: `SELECT * FROM ${relation}` }, checks: config.rules.map((r, i) => compileRule(r, i, x)) };
  },
});
