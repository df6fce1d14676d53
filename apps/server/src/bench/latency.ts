import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { quickPipelineGraph } from "../testing/quick-pipeline.ts";
import { createCleanup } from "./cleanup.ts";
import { startBenchServer, type BenchServer } from "./bench-server.ts";
import { fileToRows } from "./file-to-rows-case.ts";

const HELP = `npm run bench:latency [-- options]

Case run-start: how long a tiny pipeline (one inline row into a CSV file) takes from POST /api/pipelines/:id/runs
to its start (status running) and to finished, with runs taken by a separate worker process and by the server's
own worker. Between runs it waits a random 0-1 s, so a POST lands at any point of a polling worker's cycle.

Case file-to-rows: from sending an upload of a file a pipeline watches (latency-*.csv) to its row being readable
in the pipeline's PostgreSQL target, one upload at a time, per worker mode; median and p95 over the uploads.

  --cases run-start              run-start, file-to-rows (comma separated)
  --runs 20                      runs (or uploads) per mode
  --modes separate,in-process    which workers take the runs`;

const { values: a } = parseArgs({
  options: {
    runs: { type: "string", default: "20" },
    cases: { type: "string", default: "run-start" },
    modes: { type: "string", default: "separate,in-process" },
    help: { type: "boolean", default: false },
  },
});
if (a.help) {
  console.log(HELP);
  process.exit(0);
}

interface RunBody {
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Start and finish of one run, in ms after the POST was sent (from the run's own timestamps; same machine clock). */
async function timeOneRun(server: BenchServer, pipelineId: string): Promise<{ start: number; finish: number }> {
  const sent = Date.now();
  const { runId } = await server.api<{ runId: string }>("POST", `/pipelines/${pipelineId}/runs`, {});
  for (;;) {
    const run = await server.api<RunBody>("GET", `/runs/${runId}`);
    if (run.status !== "queued" && run.status !== "running") {
      if (run.status !== "succeeded") throw new Error(`run ${runId} ${run.status}`);
      return { start: Date.parse(run.startedAt!) - sent, finish: Date.parse(run.finishedAt!) - sent };
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

const quantile = (xs: number[], q: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

async function measure(mode: string, runs: number, kase: string) {
  const log = (m: string) => console.error(`[latency] ${m}`);
  const workDir = mkdtempSync(path.join(os.tmpdir(), "sluice-latency-"));
  const cleanup = createCleanup(log);
  cleanup.add("the bench's folder", () => rmSync(workDir, { recursive: true, force: true }));
  try {
    const server = await startBenchServer(workDir, cleanup, log, { inProcessWorker: mode === "in-process" });
    if (mode === "separate") await server.startWorker();
    if (kase === "file-to-rows") {
      const { delays, answered } = await fileToRows(server, runs, log);
      console.log(
        `file-to-rows ${mode.padEnd(10)} ${runs} uploads: upload sent to row in target median ${quantile(delays, 0.5)} ms (p95 ${quantile(delays, 0.95)}, max ${Math.max(...delays)}); ` +
          `of which the upload's answer median ${quantile(answered, 0.5)} ms (p95 ${quantile(answered, 0.95)})`,
      );
      return;
    }
    const { id } = await server.api<{ id: string }>("POST", "/pipelines", { name: "Latency", graph: quickPipelineGraph() });
    await timeOneRun(server, id); // warm: the first run loads DuckDB and compiles
    const times: { start: number; finish: number }[] = [];
    for (let i = 0; i < runs; i++) {
      await new Promise((r) => setTimeout(r, Math.random() * 1000));
      times.push(await timeOneRun(server, id));
    }
    const starts = times.map((t) => t.start);
    const finishes = times.map((t) => t.finish);
    console.log(
      `${mode.padEnd(10)} ${runs} runs: POST to running median ${quantile(starts, 0.5)} ms (p90 ${quantile(starts, 0.9)}, max ${Math.max(...starts)}); ` +
        `POST to finished median ${quantile(finishes, 0.5)} ms (p90 ${quantile(finishes, 0.9)}, max ${Math.max(...finishes)})`,
    );
  } finally {
    await cleanup.runAll();
    cleanup.detach();
  }
}

for (const kase of a.cases!.split(",").filter(Boolean)) {
  if (kase !== "run-start" && kase !== "file-to-rows") throw new Error(`not a case: ${kase} (run-start or file-to-rows)`);
  for (const mode of a.modes!.split(",").filter(Boolean)) {
    if (mode !== "separate" && mode !== "in-process") throw new Error(`not a mode: ${mode} (separate or in-process)`);
    await measure(mode, Number(a.runs), kase);
  }
}
