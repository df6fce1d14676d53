import type { NotificationEvent } from "@sluice/model";
import type { RunFacts } from "./notification-run.repository.ts";

/** The JSON body every webhook gets (docs/notifications.md shows it field by field; keep the two equal). */
export interface NotificationBody {
  id: string;
  event: NotificationEvent | "test";
  sentAt: string;
  /** One line for people, the same as a Slack message's first line. */
  summary: string;
  channel: { id: string; name: string };
  workspace: { id: string; name: string };
  pipeline: { id: string; name: string } | null;
  run: {
    id: string;
    url: string;
    status: RunFacts["status"];
    trigger: string;
    version: number;
    error: string | null;
    rowsRead: number | null;
    rowsWritten: number | null;
    createdAt: string;
    startedAt: string | null;
    finishedAt: string | null;
    durationSeconds: number | null;
  } | null;
  /** The check nodes' rules of severity warn that did not pass (run.quality_warning; empty otherwise). */
  warnings: RunFacts["warnings"];
  /** The channel's threshold, for run.long_running; null otherwise. */
  longRunningMinutes: number | null;
}

export interface MessageContext {
  deliveryId: string;
  event: NotificationEvent | "test";
  channel: { id: string; name: string; workspaceId: string; workspaceName: string; longRunningMinutes: number | null };
  run: RunFacts | null;
  /** Where people open Sluice, e.g. https://sluice.example.com (PUBLIC_URL). */
  appUrl: string;
  now: Date;
}

const minutes = (ms: number) => {
  const m = Math.round(ms / 60_000);
  return m < 1 ? `${Math.round(ms / 1000)} s` : `${m} min`;
};

function summaryOf(c: MessageContext): string {
  const r = c.run;
  if (!r) return `Test notification from Sluice for "${c.channel.name}": this channel works.`;
  const p = `"${r.pipeline.name}"`;
  switch (c.event) {
    case "run.failed":
      return `Run of ${p} failed${r.error ? `: ${r.error}` : "."}`;
    case "run.recovered":
      return `Run of ${p} succeeded after a failure (${r.rowsWritten ?? 0} rows written).`;
    case "run.quality_warning":
      return `Run of ${p} ${r.status === "failed" ? "failed" : "ended"} with ${r.warnings.length} quality warning${r.warnings.length === 1 ? "" : "s"}: ${r.warnings.map((w) => w.rule).join("; ")}.`;
    case "run.long_running":
      return `Run of ${p} has been running for ${minutes(c.now.getTime() - (r.startedAt ?? r.createdAt).getTime())}, longer than ${c.channel.longRunningMinutes ?? "?"} min.`;
    case "test":
      return `Test notification from Sluice for "${c.channel.name}".`;
    default: {
      const never: never = c.event;
      return never;
    }
  }
}

export function runUrl(appUrl: string, runId: string): string {
  return `${appUrl.replace(/\/+$/, "")}/runs/${runId}`;
}

export function notificationBody(c: MessageContext): NotificationBody {
  const r = c.run;
  const ended = r?.finishedAt ?? (r?.status === "running" ? c.now : null);
  return {
    id: c.deliveryId,
    event: c.event,
    sentAt: c.now.toISOString(),
    summary: summaryOf(c),
    channel: { id: c.channel.id, name: c.channel.name },
    workspace: r ? r.workspace : { id: c.channel.workspaceId, name: c.channel.workspaceName },
    pipeline: r ? r.pipeline : null,
    run: r
      ? {
          id: r.id,
          url: runUrl(c.appUrl, r.id),
          status: r.status,
          trigger: r.trigger,
          version: r.versionNumber,
          error: r.error,
          rowsRead: r.rowsRead,
          rowsWritten: r.rowsWritten,
          createdAt: r.createdAt.toISOString(),
          startedAt: r.startedAt?.toISOString() ?? null,
          finishedAt: r.finishedAt?.toISOString() ?? null,
          durationSeconds: r.startedAt && ended ? Math.round((ended.getTime() - r.startedAt.getTime()) / 100) / 10 : null,
        }
      : null,
    warnings: c.event === "run.quality_warning" && r ? r.warnings : [],
    longRunningMinutes: c.event === "run.long_running" ? c.channel.longRunningMinutes : null,
  };
}

/** The message as people read it, in Slack and in e-mail: the summary, the details, and a link to the run. */
export function readableText(b: NotificationBody, o: { slackLinks: boolean }): string {
  const lines = [b.summary];
  if (b.run) {
    lines.push("", `Pipeline: ${b.pipeline?.name ?? "?"} (version ${b.run.version}), workspace ${b.workspace.name}`, `Run status: ${b.run.status}, started by ${b.run.trigger}`);
    if (b.run.durationSeconds !== null) lines.push(`Duration: ${b.run.durationSeconds} s`);
    for (const w of b.warnings) lines.push(`Warning in ${w.nodeId}: ${w.rule}: ${w.message} (${w.failingRows} of ${w.rowsChecked} rows)`);
    // Slack's link syntax; the URL holds only a uuid and the app's address, so nothing needs escaping in it.
    lines.push("", o.slackLinks ? `<${b.run.url}|Open the run in Sluice>` : `Open the run: ${b.run.url}`);
  }
  return lines.join("\n");
}

/** Slack reads &, < and > as markup in text; everything that came from people or data is escaped. */
export const slackEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function slackText(b: NotificationBody): string {
  const escaped: NotificationBody = {
    ...b,
    summary: slackEscape(b.summary),
    workspace: { ...b.workspace, name: slackEscape(b.workspace.name) },
    pipeline: b.pipeline ? { ...b.pipeline, name: slackEscape(b.pipeline.name) } : null,
    // The trigger names an upstream pipeline (after: <name>) or an uploaded file (file: <name>).
    run: b.run ? { ...b.run, trigger: slackEscape(b.run.trigger) } : null,
    warnings: b.warnings.map((w) => ({ ...w, nodeId: slackEscape(w.nodeId), rule: slackEscape(w.rule), message: slackEscape(w.message) })),
  };
  return readableText(escaped, { slackLinks: true });
}

export function mailSubject(b: NotificationBody): string {
  // One line: a subject with a line break would let a pipeline name add mail headers (nodemailer folds, this makes sure).
  const s = `[Sluice] ${b.summary}`.replace(/[\r\n]+/g, " ");
  return s.length > 200 ? `${s.slice(0, 197)}...` : s;
}
