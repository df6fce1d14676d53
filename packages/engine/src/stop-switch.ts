import type { DuckSession } from "./duckdb-session.ts";

export type StopReason = "cancelled" | "timeout";

const TICK_MS = 250;

/**
 * One place that decides a session must stop: the caller's AbortSignal (cancel) or a deadline (timeout).
 * Stopping interrupts the running DuckDB statement and aborts `signal`, which connectors watch. Because an
 * interrupt only reaches a statement that is already running, the switch interrupts again on every tick
 * while stopped, so a statement that started a moment after the stop is caught within a tick too.
 */
export class StopSwitch {
  private readonly controller = new AbortController();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly onAbort = () => this.stop("cancelled");
  private why: StopReason | undefined;

  constructor(
    private readonly session: Pick<DuckSession, "interrupt">,
    private readonly o: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined; onTick?: (() => void) | undefined } = {},
  ) {
    if (o.signal?.aborted) this.stop("cancelled");
    o.signal?.addEventListener("abort", this.onAbort);
    if (o.timeoutMs !== undefined && Number.isFinite(o.timeoutMs)) {
      this.timers.push(setTimeout(() => this.stop("timeout"), Math.max(0, o.timeoutMs)));
    }
    this.timers.push(
      setInterval(() => {
        if (this.why) this.session.interrupt();
        else this.o.onTick?.();
      }, TICK_MS),
    );
  }

  /** Aborted as soon as the work must stop; hand it to connectors. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get reason(): StopReason | undefined {
    return this.why;
  }

  stop(reason: StopReason): void {
    if (this.why) return;
    this.why = reason;
    this.controller.abort();
    this.session.interrupt();
  }

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.o.signal?.removeEventListener("abort", this.onAbort);
  }
}
