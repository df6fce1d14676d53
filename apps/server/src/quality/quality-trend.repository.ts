import type { QualityTrend } from "@sluice/model";
import type { Db } from "../db/prisma.ts";

type Row = { run_id: string; pipeline_id: string; pipeline_name: string; created_at: Date; rules: bigint; failed: bigint; hard_failed: boolean };

/** Recent quality outcomes per pipeline, read from the rule results stored with each run. */
export function qualityTrendRepository(db: Db) {
  return {
    /** Each of the workspace's pipelines' last `perPipeline` runs that evaluated rules, newest first; pipelines by their latest such run. */
    async trend(workspaceId: string, perPipeline: number): Promise<QualityTrend> {
      const rows = await db.$queryRaw<Row[]>`
        SELECT run_id, pipeline_id, pipeline_name, created_at, rules, failed, hard_failed FROM (
          SELECT r.id AS run_id, r.pipeline_id, p.name AS pipeline_name, r.created_at,
                 count(*) AS rules,
                 count(*) FILTER (WHERE NOT c.passed) AS failed,
                 bool_or(NOT c.passed AND c.severity = 'fail') AS hard_failed,
                 row_number() OVER (PARTITION BY r.pipeline_id ORDER BY r.created_at DESC) AS n
          FROM run_checks c JOIN runs r ON r.id = c.run_id JOIN pipelines p ON p.id = r.pipeline_id
          -- A trend is about recent runs; the bound keeps the dashboard's query small however long Sluice has run.
          WHERE p.workspace_id = ${workspaceId}::uuid AND r.created_at > now() - interval '90 days'
          GROUP BY r.id, r.pipeline_id, p.name, r.created_at
        ) t WHERE n <= ${perPipeline}
        ORDER BY created_at DESC`;
      const byPipeline = new Map<string, QualityTrend["pipelines"][number]>();
      for (const r of rows) {
        const entry = byPipeline.get(r.pipeline_id) ?? { pipelineId: r.pipeline_id, pipelineName: r.pipeline_name, runs: [] };
        byPipeline.set(r.pipeline_id, entry);
        const failed = Number(r.failed);
        entry.runs.push({
          runId: r.run_id,
          createdAt: r.created_at.toISOString(),
          outcome: r.hard_failed ? "failed" : failed > 0 ? "warned" : "passed",
          rules: Number(r.rules),
          failedRules: failed,
        });
      }
      return { pipelines: [...byPipeline.values()] };
    },
  };
}

export type QualityTrendRepository = ReturnType<typeof qualityTrendRepository>;
