import { z } from "zod";

export const checkSeveritySchema = z.enum(["warn", "fail"]);
export type CheckSeverity = z.infer<typeof checkSeveritySchema>;

/** The outcome of one data quality rule of a check node, in a run or a preview. */
export const checkResultSchema = z.object({
  nodeId: z.string(),
  ruleIndex: z.number().int(),
  /** The rule as people read it, e.g. `amount between 0 and 1000`, or the name the user gave it. */
  rule: z.string(),
  kind: z.string(),
  severity: checkSeveritySchema,
  passed: z.boolean(),
  /** Rows that break the rule (0 for a row-count rule, which judges the whole input). */
  failingRows: z.number(),
  rowsChecked: z.number(),
  /** One line for people: what passed or what failed and how often. */
  message: z.string(),
  /** Up to 20 failing rows, in input order. */
  samples: z.array(z.record(z.string(), z.unknown())),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

/** A pipeline's recent runs that had checks, newest first, for the dashboard's quality trend. */
export const qualityTrendSchema = z.object({
  pipelines: z.array(
    z.object({
      pipelineId: z.string(),
      pipelineName: z.string(),
      runs: z.array(
        z.object({
          runId: z.string(),
          createdAt: z.string(),
          /** "passed": every rule passed; "warned": only warn rules failed; "failed": a fail rule failed. */
          outcome: z.enum(["passed", "warned", "failed"]),
          rules: z.number(),
          failedRules: z.number(),
        }),
      ),
    }),
  ),
});
export type QualityTrend = z.infer<typeof qualityTrendSchema>;
