import type { Out } from "./console-out.ts";

/** Aborts on the first Ctrl+C; a second one ends the process as usual, since the handler is gone by then. */
export function interruptSignal(out: Out): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onInterrupt = () => {
    out.error("Cancelling… (Ctrl+C again to quit at once)");
    controller.abort();
  };
  process.once("SIGINT", onInterrupt);
  return { signal: controller.signal, dispose: () => process.off("SIGINT", onInterrupt) };
}
