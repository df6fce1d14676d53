import { apiErrorSchema, backfillSchema, BACKFILL_STEPS, type BackfillInfo, type BackfillStep, type ParameterValues } from "@sluice/model";
import type { Out } from "./console-out.ts";
import { EXIT } from "./exit-codes.ts";
import { accessHint, type ServerClient } from "./server-client.ts";
import { refusalExit } from "./server-run.ts";

const POLL_MS = 1000;

export interface BackfillOptions {
  parameter: string | undefined;
  from: string | undefined;
  to: string | undefined;
  step: string;
  concurrency: string;
  params: ParameterValues;
  wait: boolean;
}

const progress = (b: BackfillInfo) => {
  const c = b.counts;
  return `${c.succeeded}/${c.total} succeeded, ${c.running} running, ${c.queued} queued, ${c.failed} failed${c.cancelled ? `, ${c.cancelled} cancelled` : ""}`;
};

/**
 * `sluice backfill <pipeline> --parameter P --from D --to D`: starts a backfill on the server and, unless --no-wait,
 * follows it until every slot has ended, printing progress as it changes. Exits 3 when a slot failed or was
 * cancelled (naming them, and how to retry only those), 1 when the server refused it (its message says what to fix).
 */
export async function backfillOnServer(which: string, o: BackfillOptions, server: ServerClient, out: Out): Promise<number> {
  if (!o.parameter || !o.from || !o.to) {
    out.error("backfill needs --parameter NAME (the pipeline's date or timestamp parameter), --from YYYY-MM-DD and --to YYYY-MM-DD.");
    return EXIT.usage;
  }
  if (!(BACKFILL_STEPS as readonly string[]).includes(o.step)) {
    out.error(`--step is one of ${BACKFILL_STEPS.join(", ")}; "${o.step}" is not.`);
    return EXIT.usage;
  }
  const concurrency = Number(o.concurrency);
  if (!Number.isInteger(concurrency)) {
    out.error(`--concurrency is a whole number of runs at once; "${o.concurrency}" is not.`);
    return EXIT.usage;
  }
  const id = await server.findPipeline(which);
  if (!id) {
    out.error(`No pipeline is named or identified "${which}".`);
    return EXIT.problems;
  }
  const body = { parameter: o.parameter, from: o.from, to: o.to, step: o.step as BackfillStep, concurrency, params: o.params };
  const r = await server.send("POST", `/pipelines/${encodeURIComponent(id)}/backfills`, body);
  if (r.status !== 202) {
    const e = apiErrorSchema.safeParse(r.json);
    out.error(e.success ? e.data.error.message : `The server answered ${r.status}.`);
    const hint = accessHint(r.status, server.hasToken);
    if (hint) out.error(hint);
    return refusalExit(r.status);
  }
  let b = server.read(backfillSchema, r, "POST /api/pipelines/…/backfills");
  out.log(`Backfill ${b.id}: ${b.counts.total} runs of "${b.pipelineName}" v${b.versionNumber}, ${b.parameter} from ${b.from} to ${b.to} by ${b.step}, at most ${b.concurrency} at once.`);
  if (!o.wait) return EXIT.ok;
  let last = "";
  for (;;) {
    const line = progress(b);
    if (line !== last) out.log(line);
    last = line;
    if (b.counts.queued + b.counts.running === 0) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    b = await server.get(`/backfills/${encodeURIComponent(b.id)}`, backfillSchema);
  }
  const failed = b.slots.filter((s) => s.status === "failed" || s.status === "cancelled");
  if (failed.length === 0) return EXIT.ok;
  for (const s of failed) out.error(`  ${s.slot}: ${s.status}${s.error ? `: ${s.error}` : ""} (run ${s.runId})`);
  out.error(`${failed.length} slot${failed.length === 1 ? "" : "s"} did not succeed; run only those again with POST /api/backfills/${b.id}/retry-failed or the runs dashboard's "Retry failed slots only".`);
  return EXIT.runFailed;
}
