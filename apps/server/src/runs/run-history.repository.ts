import type { RunHistory } from "@sluice/model";
import type { Db } from "../db/prisma.ts";

type Row = {
  run_id: string;
  pipeline_id: string;
  pipeline_name: string;
  status: RunHistory["pipelines"][number]["runs"][number]["status"];
  started_at: Date;
  finished_at: Date | null;
  rows_written: bigint | null;
  latest: Date;
};

/** Each pipeline's recent runs that started, with how long they took and what they wrote, for the dashboard's chart. */
export function runHistoryRepository(db: Db) {
  return {
    /**
     * The workspace's pipelines' last `perPipeline` started runs, oldest first within a pipeline (a chart reads left
     * to right in time); pipelines by their latest start, newest first. Runs never started (cancelled while queued)
     * have no duration to show and are left out.
     */
    async history(workspaceId: string, perPipeline: number, pipelineId?: string): Promise<RunHistory> {
      const rows = await db.$queryRaw<Row[]>`
        SELECT run_id, pipeline_id, pipeline_name, status, started_at, finished_at, rows_written,
               max(started_at) OVER (PARTITION BY pipeline_id) AS latest FROM (
          SELECT r.id AS run_id, r.pipeline_id, p.name AS pipeline_name, r.status::text AS status, r.started_at,
                 r.finished_at, r.rows_written,
                 row_number() OVER (PARTITION BY r.pipeline_id ORDER BY r.started_at DESC, r.id) AS n
          FROM runs r JOIN pipelines p ON p.id = r.pipeline_id
          WHERE p.workspace_id = ${workspaceId}::uuid AND r.started_at IS NOT NULL
            AND (${pipelineId ?? null}::uuid IS NULL OR r.pipeline_id = ${pipelineId ?? null}::uuid)
        ) t WHERE n <= ${perPipeline}
        ORDER BY latest DESC, pipeline_id, started_at ASC, run_id`;
      const byPipeline = new Map<string, RunHistory["pipelines"][number]>();
      for (const r of rows) {
        const entry = byPipeline.get(r.pipeline_id) ?? { pipelineId: r.pipeline_id, pipelineName: r.pipeline_name, runs: [] };
        byPipeline.set(r.pipeline_id, entry);
        entry.runs.push({
          runId: r.run_id,
          status: r.status,
          startedAt: r.started_at.toISOString(),
          durationMs: r.finished_at ? r.finished_at.getTime() - r.started_at.getTime() : null,
          rowsWritten: r.rows_written === null ? null : Number(r.rows_written),
        });
      }
      return { pipelines: [...byPipeline.values()] };
    },
  };
}

export type RunHistoryRepository = ReturnType<typeof runHistoryRepository>;
