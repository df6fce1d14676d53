import { readdirSync, readFileSync } from "node:fs";

/** Inspector children of this process still alive, read from /proc, so a leak is seen however it happened. */
export function inspectorChildren(): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const ppid = /^PPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
        return Number(ppid) === process.pid && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("inspect-child");
      } catch {
        return false; // gone while we looked
      }
    })
    .map(Number);
}

/**
 * Waits for the inspector child to start (it takes a few hundred milliseconds to load), then hands its pid to
 * `act`: a test reads the child's environment, or kills it as a native crash would.
 */
export async function whenInspectorStarts<T>(act: (pid: number) => T, timeoutMs = 10_000): Promise<T> {
  for (const start = Date.now(); Date.now() - start < timeoutMs; ) {
    const pid = inspectorChildren()[0];
    if (pid) return act(pid);
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error("no inspector child started");
}
