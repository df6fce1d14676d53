import { readFileSync } from "node:fs";
import os from "node:os";

const MB = 1024 * 1024;
/** Never ask for less than this, however small the machine: DuckDB needs room to work at all. */
const FLOOR_MB = 256;

/** The container's memory limit (cgroup v2, then v1), when there is one; os.totalmem() sees the host. */
function cgroupLimitBytes(): number | undefined {
  for (const file of ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]) {
    try {
      const text = readFileSync(file, "utf8").trim();
      const n = Number(text);
      // "max" or a huge sentinel (v1 uses ~2^63) both mean "no limit".
      if (Number.isFinite(n) && n > 0 && n < 2 ** 60) return n;
    } catch {
      // not in a cgroup, or not this version
    }
  }
  return undefined;
}

/** Memory this process may use: the smaller of the machine's RAM and the container's limit. */
export function availableMemoryBytes(): number {
  const cgroup = cgroupLimitBytes();
  return Math.min(os.totalmem(), cgroup ?? Number.POSITIVE_INFINITY);
}

/**
 * A DuckDB memory_limit as a share of the memory available to this process (container-aware), at least 256 MB.
 * Runs default to 60%; previews, which live beside runs in the same process, to a smaller share.
 */
export function defaultMemoryLimit(share = 0.6): string {
  return `${Math.max(FLOOR_MB, Math.floor((availableMemoryBytes() * share) / MB))}MB`;
}
