import type { RunEvent } from "./openlineage.types.ts";
import type { OpenLineageSettings } from "./openlineage-settings.ts";

export interface DeliveryLimits {
  /** Events held at most; past it the oldest is dropped (default 1000). */
  maxQueued: number;
  /** Bytes of queued JSON held at most, so a backlog of wide schemas stays small (default 16 MB). */
  maxQueuedBytes: number;
  /** Tries per event before it is dropped (default 8: about four minutes of retries at the default delays). */
  maxAttempts: number;
  /** An event not delivered after this long is dropped, however few tries it had (default 15 min). */
  maxAgeMs: number;
  /** The first retry's delay, doubled each time up to maxDelayMs (defaults 1 s and 60 s). */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_LIMITS: DeliveryLimits = { maxQueued: 1000, maxQueuedBytes: 16 * 1024 * 1024, maxAttempts: 8, maxAgeMs: 15 * 60_000, baseDelayMs: 1000, maxDelayMs: 60_000 };

interface Queued {
  body: string;
  label: string;
  attempts: number;
  firstAt: number;
}

/** Why one POST did not deliver: retry (network, timeout, 5xx, 408, 429) or not (any other answer: resending cannot help). */
type Outcome = { ok: true } | { ok: false; retry: boolean; why: string };

/**
 * Sends events in the order given, one at a time, from an in-process queue: emitting never waits for the receiver and
 * never fails, so a run neither slows nor fails for it. A failed POST is retried with exponential backoff (capped);
 * an event past maxAttempts or maxAgeMs, or pushed out of a full queue, is dropped with a log line. One event at a
 * time keeps a run's START ahead of its COMPLETE, which receivers such as Marquez expect.
 */
export function openLineageDelivery(settings: OpenLineageSettings, log: (m: string) => void, limits: Partial<DeliveryLimits> = {}) {
  const l = { ...DEFAULT_LIMITS, ...limits };
  /** The endpoint as logged: without a query string, which might carry a key. */
  const shown = (({ origin, pathname }) => origin + pathname)(new URL(settings.endpoint));
  const queue: Queued[] = [];
  let bytes = 0;
  let timer: NodeJS.Timeout | undefined;
  let sending: Promise<void> | undefined;
  let closed = false;
  let stopping = false;
  /** Aborts a POST in flight when stop() gives up, so no request outlives the process's shutdown. */
  const halt = new AbortController();
  const idle = new Set<() => void>();

  async function post(body: string): Promise<Outcome> {
    try {
      const res = await fetch(settings.endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}) },
        body,
        signal: AbortSignal.any([AbortSignal.timeout(settings.timeoutMs), halt.signal]),
        redirect: "error",
      });
      await res.body?.cancel().catch(() => undefined);
      if (res.ok) return { ok: true };
      return { ok: false, retry: res.status >= 500 || res.status === 408 || res.status === 429, why: `HTTP ${res.status}` };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      const why = err.name === "TimeoutError" ? `no answer within ${settings.timeoutMs} ms` : (err.cause?.code ?? err.message);
      return { ok: false, retry: true, why };
    }
  }

  function drop(item: Queued, why: string) {
    log(`OpenLineage: dropped ${item.label} (${why}); it was not delivered to ${shown}`);
  }

  function take() {
    const item = queue.shift();
    if (item) bytes -= item.body.length;
    if (!queue.length) for (const resolve of idle) resolve();
    return item;
  }

  /** Starts the sender after delayMs unless it is running or waiting already; it re-arms itself while events remain. */
  function kick(delayMs: number) {
    if (closed || timer || sending || !queue.length) return;
    timer = setTimeout(() => {
      timer = undefined;
      sending = pump().then((retryIn) => {
        sending = undefined;
        kick(retryIn ?? 0);
      });
    }, delayMs);
    // Delivery must not keep a stopping process alive; stop() flushes what it can first.
    timer.unref();
  }

  /** Sends queued events until the queue is empty (undefined) or one must wait: the delay before retrying it. */
  async function pump(): Promise<number | undefined> {
    while (queue.length && !closed) {
      const item = queue[0]!;
      item.attempts++;
      const outcome = await post(item.body);
      if (queue[0] !== item) continue; // pushed out of a full queue, or dropped by stop(), while it was being sent
      if (outcome.ok) {
        take();
        continue;
      }
      if (!outcome.retry) {
        take();
        drop(item, `the receiver refused it: ${outcome.why}`);
        continue;
      }
      if (item.attempts >= l.maxAttempts || Date.now() - item.firstAt >= l.maxAgeMs) {
        take();
        drop(item, `${item.attempts} tries failed, the last: ${outcome.why}`);
        continue;
      }
      if (item.attempts === 1) log(`OpenLineage: sending ${item.label} failed (${outcome.why}); retrying with backoff`);
      const delay = Math.min(l.maxDelayMs, l.baseDelayMs * 2 ** (item.attempts - 1));
      // While stopping, the flush's own timeout bounds the tries, so they need not wait out a long delay.
      return stopping ? Math.min(delay, 250) : delay;
    }
    return undefined;
  }

  return {
    /** Queues an event; returns at once. */
    emit(event: RunEvent) {
      if (closed) return;
      const item: Queued = { body: JSON.stringify(event), label: `${event.eventType} of run ${event.run.runId}`, attempts: 0, firstAt: Date.now() };
      queue.push(item);
      bytes += item.body.length;
      // The oldest goes first: newer events describe newer runs, which matter more to whoever catches up.
      while (queue.length > 1 && (queue.length > l.maxQueued || bytes > l.maxQueuedBytes)) drop(take()!, "the queue was full");
      kick(0);
    },
    /** Events waiting to be delivered (tests, logs). */
    get pending() {
      return queue.length;
    },
    /**
     * Sends what is queued, trying at once rather than waiting out a backoff, for at most timeoutMs; then stops
     * and logs what is left undelivered. Called on graceful shutdown.
     */
    async stop(timeoutMs = 3000) {
      stopping = true;
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
      }
      let resolveIdle = () => {};
      const drained = new Promise<void>((resolve) => idle.add((resolveIdle = resolve)));
      if (!queue.length) resolveIdle();
      kick(0);
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([drained, new Promise((resolve) => (grace = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(grace);
      idle.delete(resolveIdle);
      closed = true;
      if (timer) clearTimeout(timer);
      halt.abort();
      if (queue.length) log(`OpenLineage: ${queue.length} event(s) not delivered to ${shown} before shutdown; dropped`);
      queue.length = 0;
      bytes = 0;
    },
  };
}

export type OpenLineageDelivery = ReturnType<typeof openLineageDelivery>;
