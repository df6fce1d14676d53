import { existsSync } from "node:fs";
import { getNodeDefinition } from "@sluice/pipeline";
import type { ParameterValues, RunDetail } from "@sluice/model";
import { problemText, type Out } from "./console-out.ts";
import { EXIT } from "./exit-codes.ts";
import { interruptSignal } from "./interrupt-signal.ts";
import { tryReadPipelineFiles } from "./pipeline-files.ts";
import { checkLines, rows, seconds } from "./run-progress.ts";
import { accessHint, isUnavailable, type RunRefusal, type ServerClient } from "./server-client.ts";
import { importLine } from "./server-import.ts";

const POLL_MS = 500;
/** A waiting run says it is still waiting this often, so a CI log shows it is alive without a line per poll. */
const STILL_WAITING_MS = 10_000;

/**
 * Why a run never started, as an exit code: the server being away or overloaded (502–504) is worth a retry (4);
 * anything else, from a missing token to an invalid graph, is for the user to fix (1). Exit 3 is kept for runs
 * that started and then failed.
 */
export function refusalExit(status: number): number {
  return isUnavailable(status) ? EXIT.unreachable : EXIT.problems;
}

function printRefusal(r: RunRefusal, tokenGiven: boolean, out: Out): void {
  out.error(r.message);
  for (const p of r.problems) out.error(`  ${problemText(p)}`);
  const hint = accessHint(r.status, tokenGiven);
  if (hint) out.error(hint);
}

/** The pipeline to run: `which` is a name or id on the server, or a .json file to import first. */
async function pipelineToRun(which: string, server: ServerClient, out: Out): Promise<{ ok: true; id: string } | { ok: false; exit: number }> {
  const isFile = which.toLowerCase().endsWith(".json");
  if (isFile && existsSync(which)) {
    const read = tryReadPipelineFiles(which);
    if (!read.ok) {
      out.error(read.message);
      return { ok: false, exit: EXIT.problems };
    }
    const [file, ...more] = read.pipelines;
    if (!file || more.length > 0) {
      out.error(`${which} holds ${read.pipelines.length} pipelines; run takes a file with exactly one (use sluice import for the others, then run one by name).`);
      return { ok: false, exit: EXIT.usage };
    }
    const result = await server.importPipelines([file], false);
    const imported = result.results.find((r) => r.name === file.name);
    if (imported) out.log(importLine(imported, false));
    const id = imported?.pipelineId ?? (await server.findPipeline(file.name));
    if (id) return { ok: true, id };
    out.error(`${which} was imported as "${file.name}", but no pipeline of that name is on the server now.`);
    return { ok: false, exit: EXIT.problems };
  }
  const id = await server.findPipeline(which);
  if (id) return { ok: true, id };
  out.error(`No pipeline is named or identified "${which}"${isFile ? ", and there is no such file" : ""}.`);
  return { ok: false, exit: EXIT.problems };
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}

/** Polls until the run ends, saying when its status changes; after `signal` aborts, asks the server to cancel it. */
async function waitForRun(runId: string, server: ServerClient, signal: AbortSignal, out: Out): Promise<RunDetail> {
  const since = Date.now();
  let status = "queued";
  let said = since;
  let cancelAsked = false;
  for (;;) {
    if (signal.aborted && !cancelAsked) {
      cancelAsked = true;
      await server.cancelRun(runId);
    }
    const run = await server.getRun(runId);
    if (run.status !== "queued" && run.status !== "running") return run;
    const now = Date.now();
    if (run.status !== status || now - said >= STILL_WAITING_MS) {
      out.log(run.status !== status ? `run ${runId} ${run.status}` : `run ${runId} still ${run.status} after ${seconds(now - since)}`);
      status = run.status;
      said = now;
    }
    await pause(POLL_MS, signal);
  }
}

/** Node labels for the check lines, from the version that ran; ids alone if that cannot be read. */
async function nodeLabels(run: RunDetail, server: ServerClient): Promise<(nodeId: string) => string> {
  try {
    const { graph } = await server.pipelineVersion(run.pipelineId, run.versionNumber);
    const labels = new Map(graph.nodes.map((n) => [n.id, n.label ?? getNodeDefinition(n.type)?.label ?? n.id]));
    return (id) => labels.get(id) ?? id;
  } catch {
    return (id) => id;
  }
}

/** `run` against a server: starts the run, waits for it (Ctrl+C cancels it), then prints rule results and totals. */
export async function runOnServer(which: string, params: ParameterValues, server: ServerClient, out: Out): Promise<number> {
  const pipeline = await pipelineToRun(which, server, out);
  if (!pipeline.ok) return pipeline.exit;
  // Ctrl+C is handled from before the run is asked for: pressed at any moment after, it cancels the run on the server.
  const interrupt = interruptSignal(out);
  let run: RunDetail;
  try {
    const started = await server.startRun(pipeline.id, params);
    if (!started.ok) {
      printRefusal(started, server.hasToken, out);
      return refusalExit(started.status);
    }
    out.log(`run ${started.runId} queued`);
    run = await waitForRun(started.runId, server, interrupt.signal, out);
  } finally {
    interrupt.dispose();
  }
  return report(run, server, out);
}

/** `resume` against a server: resumes a failed run as a new run, waits for it, and reports it as `run` does, with what was reused. */
export async function resumeOnServer(runId: string, version: "same" | "current", server: ServerClient, out: Out): Promise<number> {
  const interrupt = interruptSignal(out);
  let run: RunDetail;
  try {
    const started = await server.resumeRun(runId, version);
    if (!started.ok) {
      printRefusal(started, server.hasToken, out);
      return refusalExit(started.status);
    }
    out.log(`run ${started.runId} queued, resuming run ${runId}`);
    run = await waitForRun(started.runId, server, interrupt.signal, out);
  } finally {
    interrupt.dispose();
  }
  const reused = run.nodes.filter((n) => n.ranIn === "reused");
  if (reused.length > 0) {
    const labelOf = await nodeLabels(run, server);
    out.log(`reused: ${reused.map((n) => `${labelOf(n.nodeId)} (${n.rowsOut === null ? "rows unknown" : rows(n.rowsOut)})`).join(", ")}`);
  }
  return report(run, server, out);
}

async function report(run: RunDetail, server: ServerClient, out: Out): Promise<number> {
  if (run.checks.length > 0) {
    const labelOf = await nodeLabels(run, server);
    for (const c of checkLines(run.checks, labelOf)) out[c.isError ? "error" : "log"](c.line);
  }
  // Rows are unknown (null) for a run that stopped before counting them; "0 rows read" would be wrong.
  const read = run.rowsRead === null ? "rows read unknown" : `${rows(run.rowsRead)} read`;
  const written = run.rowsWritten === null ? "rows written unknown" : `${rows(run.rowsWritten)} written`;
  out.log(`run ${run.id} ${run.status}: ${read}, ${written}${run.error ? ` — ${run.error}` : ""}`);
  return run.status === "succeeded" ? EXIT.ok : EXIT.runFailed;
}
