import type { NotificationDeliveryInfo, NotificationEvent } from "@sluice/model";
import type { NotificationChannelRepository, SendableChannel } from "./notification-channel.repository.ts";
import type { NotificationRunRepository, RunFacts } from "./notification-run.repository.ts";
import type { Senders } from "./notification-senders.ts";
import { notificationBody } from "./notification-message.ts";

export interface NotifierOptions {
  channels: NotificationChannelRepository;
  runs: NotificationRunRepository;
  senders: Senders;
  /** Where people open Sluice, for the link to the run. */
  appUrl: string;
  log: (m: string) => void;
  /** Waits between attempts; one attempt more than delays (default 2 s, 10 s, 60 s: four attempts). */
  retryDelaysMs?: number[];
  /** How often running runs are checked against the channels' long-running thresholds (default 30 s); 0: never. */
  longRunningCheckMs?: number;
}

const DEFAULT_DELAYS = [2_000, 10_000, 60_000];

/**
 * Tells channels about runs. A run's verdict is recorded first (by the worker or the reaper), then runEnded starts
 * the notifications in the background: sending never delays the worker's next run and cannot change a run's
 * status. Each (channel, run, event) is claimed in the database once, so a notification goes out once however many
 * processes see the run end, and a long run is reported once however many checks find it.
 */
export function startNotifier(o: NotifierOptions) {
  const delays = o.retryDelaysMs ?? DEFAULT_DELAYS;
  const inFlight = new Set<Promise<unknown>>();
  const stopping = new AbortController();

  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      stopping.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });

  /** Sends with retries and records each attempt; the returned delivery is as it ended. */
  async function deliver(deliveryId: string, channel: SendableChannel, event: NotificationEvent | "test", run: RunFacts | null, attemptsAllowed: number, workspaceName: string): Promise<NotificationDeliveryInfo> {
    for (let attempt = 1; ; attempt++) {
      const body = notificationBody({
        deliveryId,
        event,
        channel: { id: channel.id, name: channel.name, workspaceId: channel.workspaceId, workspaceName, longRunningMinutes: channel.longRunningMinutes },
        run,
        appUrl: o.appUrl,
        now: new Date(),
      });
      const outcome = await o.senders.send(channel.target, body, stopping.signal);
      if (outcome.ok) return o.channels.recordAttempt(deliveryId, { status: "delivered", attempts: attempt, error: null });
      const last = attempt >= attemptsAllowed || stopping.signal.aborted;
      const error = stopping.signal.aborted ? `${outcome.message} (Sluice stopped before trying again)` : outcome.message;
      const recorded = await o.channels.recordAttempt(deliveryId, { status: last ? "failed" : "sending", attempts: attempt, error });
      if (last) {
        o.log(`notification ${event} to channel ${channel.id} failed after ${attempt} attempt(s): ${outcome.message}`);
        return recorded;
      }
      await pause(delays[attempt - 1] ?? delays.at(-1) ?? 0);
    }
  }

  async function notify(channel: SendableChannel, event: NotificationEvent, run: RunFacts) {
    const deliveryId = await o.channels.claim(channel.id, run.id, event);
    if (!deliveryId) return;
    await deliver(deliveryId, channel, event, run, delays.length + 1, run.workspace.name);
  }

  async function eventsOf(run: RunFacts): Promise<NotificationEvent[]> {
    const events: NotificationEvent[] = [];
    if (run.status === "failed") events.push("run.failed");
    if (run.status === "succeeded" && run.finishedAt && (await o.runs.previousOutcome({ id: run.id, pipelineId: run.pipeline.id, finishedAt: run.finishedAt })) === "failed") {
      events.push("run.recovered");
    }
    if ((run.status === "succeeded" || run.status === "failed") && run.warnings.length) events.push("run.quality_warning");
    return events;
  }

  async function runEndedNow(runId: string) {
    const run = await o.runs.facts(runId);
    // Requeued for a retry, or cancelled: nothing to tell.
    if (!run || (run.status !== "succeeded" && run.status !== "failed")) return;
    for (const event of await eventsOf(run)) {
      const channels = await o.channels.listening(run.workspace.id, run.pipeline.id, event);
      await Promise.all(channels.map((c) => notify(c, event, run)));
    }
  }

  async function checkLongRunning() {
    for (const { runId, channelId } of await o.channels.longRunning()) {
      const [run, channel] = await Promise.all([o.runs.facts(runId), o.channels.channelById(channelId)]);
      if (!run || !channel || run.status !== "running") continue;
      void track(notify(channel, "run.long_running", run).catch((e: Error) => o.log(`long-running notification for run ${runId} failed: ${e.message}`)));
    }
  }

  let checking: Promise<void> | undefined;
  const tick = () => {
    // One check at a time, as the reaper does.
    checking ??= checkLongRunning()
      .catch((e: Error) => o.log(`checking long runs for notifications failed: ${e.message}`))
      .finally(() => (checking = undefined));
  };
  const timer = o.longRunningCheckMs === 0 ? undefined : setInterval(tick, o.longRunningCheckMs ?? 30_000);
  timer?.unref();

  return {
    /** After a run's status is recorded: starts its notifications in the background and returns at once. */
    runEnded(runId: string): void {
      if (stopping.signal.aborted) return;
      void track(runEndedNow(runId).catch((e: Error) => o.log(`notifications for run ${runId} failed: ${e.message}`)));
    },
    /** One check for long runs now (the timer does this every longRunningCheckMs). */
    checkLongRunning: () => {
      tick();
      return checking!;
    },
    /** Sends a test notification once, without retrying, and answers how it went. */
    async sendTest(channel: SendableChannel, workspaceName: string): Promise<NotificationDeliveryInfo> {
      const deliveryId = await o.channels.claim(channel.id, null, "test");
      if (!deliveryId) throw new Error("a test delivery could not be recorded");
      return track(deliver(deliveryId, channel, "test", null, 1, workspaceName));
    },
    /** Waits for notifications in flight, at most graceMs; then stops retrying them (their last error is kept). */
    async stop(graceMs = 5_000) {
      if (timer) clearInterval(timer);
      let grace: NodeJS.Timeout | undefined;
      const settled = Promise.allSettled([...inFlight, checking]);
      await Promise.race([settled, new Promise((r) => (grace = setTimeout(r, graceMs)))]);
      stopping.abort();
      clearTimeout(grace);
      await Promise.allSettled([...inFlight]);
    },
  };
}

export type Notifier = ReturnType<typeof startNotifier>;
