import { chmodSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * Fails the test run when tests leave anything in the temporary folder (runs once used to leave ~24 folders
 * there, one a whole PostgreSQL data folder). The run gets a temporary folder of its own (TMPDIR, which os.tmpdir()
 * and the server processes that tests start read), so another run on the same machine is never counted as ours;
 * at the end whatever is left in it is listed, then removed so it does not pile up.
 */

/**
 * Caches that tools keep in the temporary folder on purpose, across runs; not ours to remove. Exact prefixes, so
 * nothing of ours hides behind them: tsx's compile cache (tsx-<uid>), Playwright's transform cache, bash's
 * here-documents and the JVM's perf data.
 */
const TOOL_CACHES = ["tsx-", "playwright-transform-cache-", "bash_", "hsperfdata_"];

export default function setup() {
  const outer = tmpdir();
  const own = mkdtempSync(path.join(outer, "sluice-vitest-"));
  // Tests start an embedded PostgreSQL as the "postgres" user when run as root: it must be able to enter.
  chmodSync(own, 0o755);
  process.env.TMPDIR = own;
  return () => {
    process.env.TMPDIR = outer;
    const left = readdirSync(own).filter((name) => !TOOL_CACHES.some((prefix) => name.startsWith(prefix)));
    rmSync(own, { recursive: true, force: true });
    if (left.length > 0) {
      // Vitest prints an error thrown here but still exits with 0: the exit code is set as well.
      process.exitCode = 1;
      throw new Error(`tests left ${left.length} entr${left.length === 1 ? "y" : "ies"} in the temporary folder (removed now; clean up in afterAll or finally): ${left.join(", ")}`);
    }
  };
}
