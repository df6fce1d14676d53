import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { tablesOf } from "./targets.ts";

const SCRIPT = fileURLToPath(new URL("./peer-pandas.py", import.meta.url));

/**
 * A Python that can run the pandas peer (pandas and psycopg2 importable): $BENCH_PYTHON, else python3 on the
 * PATH, else the system's /usr/bin/python3 (where Debian's python3-pandas installs). Otherwise why not.
 */
export function findPandas(): { python: string } | { skipped: string } {
  const candidates = [...new Set([process.env.BENCH_PYTHON, "python3", "/usr/bin/python3"].filter((x): x is string => !!x))];
  const problems: string[] = [];
  for (const python of candidates) {
    const r = spawnSync(python, ["-c", "import pandas, psycopg2"], { encoding: "utf8" });
    if (r.status === 0) return { python };
    problems.push(`${python}: ${r.error ? "not found" : (r.stderr.trim().split("\n").pop() ?? `exit ${r.status}`)}`);
  }
  return { skipped: `no Python with pandas and psycopg2 (${problems.join("; ")}); on Debian: apt-get install python3-pandas python3-psycopg2` };
}

/** Runs the pandas script; `onChild` lets the caller stop it (Ctrl+C). */
export async function pandasPeer(
  python: string,
  o: { ordersPath: string; customersPath: string; warehouseUrl: string },
  onChild: (stop: () => void) => () => void,
): Promise<{ seconds: number; rowsWritten: number }> {
  const started = Date.now();
  const schema = tablesOf("pandas").orders.split(".")[0]!;
  const child = spawn(python, [SCRIPT, o.ordersPath, o.customersPath, o.warehouseUrl, schema], { stdio: ["ignore", "pipe", "pipe"] });
  const forget = onChild(() => child.kill("SIGKILL"));
  let out = "";
  let err = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr.on("data", (c: Buffer) => (err += c.toString()));
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (c) => resolve(c));
    });
    if (code !== 0) throw new Error(`the pandas peer failed (exit ${code}): ${err.trim().split("\n").slice(-5).join("\n")}`);
    return { seconds: (Date.now() - started) / 1000, rowsWritten: Number(out.trim()) };
  } finally {
    forget();
  }
}
