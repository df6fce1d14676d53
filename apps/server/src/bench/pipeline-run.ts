import { openAsBlob } from "node:fs";
import type { PipelineGraph } from "@sluice/model";
import { benchGraph } from "./bench-pipeline.ts";
import type { BenchServer } from "./bench-server.ts";

export interface RunFigures {
  runId: string;
  /** Queue to finished, as the client sees it. */
  endToEndS: number;
  /** The run's own start to finish. */
  execS: number;
  rowsWritten: number;
  nodes: { nodeId: string; durationMs: number | null; rowsOut: number | null }[];
}

interface Run {
  status: string;
  error: string | null;
  rowsWritten: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  nodes: RunFigures["nodes"];
}

export interface BenchPipeline {
  graph: PipelineGraph;
  uploadS: number;
  run(): Promise<RunFigures>;
  /** The first preview (cold) of the last node, then `rounds` warm previews of every node, in ms. */
  previews(rounds: number): Promise<{ firstMs: number; byNode: Record<string, number[]> }>;
  /** Removes the pipeline and its uploaded files. */
  remove(): Promise<void>;
}

/** Uploads the two files and saves the benchmark pipeline over them, through the API as a user would. */
export async function setUpPipeline(s: BenchServer, data: { ordersPath: string; customersPath: string }): Promise<BenchPipeline> {
  const upload = async (file: string, name: string) => {
    const form = new FormData();
    form.append("file", await openAsBlob(file), name);
    return s.api<{ id: string }>("POST", "/files", form);
  };
  const t0 = Date.now();
  const orders = await upload(data.ordersPath, "orders.csv");
  const customers = await upload(data.customersPath, "customers.csv");
  const uploadS = (Date.now() - t0) / 1000;
  const graph = benchGraph({ ordersFileId: orders.id, customersFileId: customers.id, connectionId: BUILT_IN_WAREHOUSE_ID });
  const pipeline = await savePipeline(s, graph, `Benchmark ${orders.id.slice(0, 8)}`);
  return {
    ...pipeline,
    uploadS,
    async remove() {
      await pipeline.remove();
      for (const id of [orders.id, customers.id]) await s.api("DELETE", `/files/${id}`).catch(() => undefined);
    },
  };
}

/** The built-in warehouse's connection, which the bench's pipelines read and write. */
export const BUILT_IN_WAREHOUSE_ID = "00000000-0000-4000-8000-00000000c0de";

/** Validates and saves a graph through the API; run() queues a run and waits for it, as automation would. */
export async function savePipeline(s: BenchServer, graph: PipelineGraph, name: string): Promise<Omit<BenchPipeline, "uploadS">> {
  const check = await s.api<{ valid: boolean; problems: unknown[] }>("POST", "/pipelines/validate", { graph });
  if (!check.valid) throw new Error(`benchmark graph is invalid: ${JSON.stringify(check.problems)}`);
  const pipeline = await s.api<{ id: string }>("POST", "/pipelines", { name, graph });

  return {
    graph,
    async run() {
      const started = Date.now();
      const { runId } = await s.api<{ runId: string }>("POST", `/pipelines/${pipeline.id}/runs`, {});
      let run: Run;
      for (;;) {
        run = await s.api("GET", `/runs/${runId}`);
        if (["succeeded", "failed", "cancelled"].includes(run.status)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      if (run.status !== "succeeded") throw new Error(`run ${run.status}: ${run.error}`);
      const execS = (new Date(run.finishedAt!).getTime() - new Date(run.startedAt!).getTime()) / 1000;
      return { runId, endToEndS: (Date.now() - started) / 1000, execS, rowsWritten: run.rowsWritten ?? 0, nodes: run.nodes };
    },
    async previews(rounds) {
      const t = Date.now();
      await s.api("POST", "/preview", { graph, nodeId: graph.nodes[graph.nodes.length - 1]!.id, limit: 100 });
      const firstMs = Date.now() - t;
      const byNode: Record<string, number[]> = {};
      for (let i = 0; i < rounds; i++) {
        for (const n of graph.nodes) {
          const at = Date.now();
          await s.api("POST", "/preview", { graph, nodeId: n.id, limit: 100 });
          (byNode[n.id] ??= []).push(Date.now() - at);
        }
      }
      return { firstMs, byNode };
    },
    async remove() {
      await s.api("DELETE", `/pipelines/${pipeline.id}`).catch(() => undefined);
    },
  };
}
