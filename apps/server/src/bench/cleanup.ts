/**
 * What the bench must undo however it ends: a finished run, a failure, or Ctrl+C (SIGINT/SIGTERM). Steps run
 * last-registered first, each once; a failing step does not stop the others.
 */
export interface Cleanup {
  /** Registers a step; returns a function that runs it now (and unregisters it). */
  add(what: string, step: () => Promise<void> | void): () => Promise<void>;
  /** Runs every registered step, newest first; a call during a pass waits for that pass. */
  runAll(): Promise<void>;
  /** Stops listening for signals. */
  detach(): void;
}

export function createCleanup(log: (m: string) => void, options: { onSignal?: boolean } = {}): Cleanup {
  const steps: { what: string; step: () => Promise<void> | void }[] = [];
  const run = async (entry: (typeof steps)[number]) => {
    const at = steps.indexOf(entry);
    if (at < 0) return;
    steps.splice(at, 1);
    try {
      await entry.step();
    } catch (e) {
      log(`cleaning up ${entry.what} failed: ${(e as Error).message}`);
    }
  };
  // One pass at a time: a failure that a signal's cleanup causes (a run whose worker was stopped) reaches the
  // caller's finally, which must wait for that same pass rather than race it.
  let running: Promise<void> | undefined;
  const runAll = () =>
    (running ??= (async () => {
      while (steps.length) await run(steps[steps.length - 1]!);
    })().finally(() => (running = undefined)));
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: cleaning up before exiting`);
    void runAll().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  if (options.onSignal !== false) {
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  }
  return {
    add(what, step) {
      const entry = { what, step };
      steps.push(entry);
      return () => run(entry);
    },
    runAll,
    detach() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
