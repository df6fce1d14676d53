import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { freePort, startSluiceProcess, waitFor, type SluiceProcess } from "./testing/sluice-process.ts";

// The embedded PostgreSQL runs as the "postgres" user when tests run as root: it must be able to enter this folder.
const dataDir = mkdtempSync(path.join(tmpdir(), "sluice-test-stop-"));
chmodSync(dataDir, 0o755);
let server: SluiceProcess | undefined;

/** The embedded PostgreSQL's process id while it runs (its postmaster.pid), else undefined. */
function postgresPid(): number | undefined {
  const pidFile = path.join(dataDir, "postgres", "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

afterAll(async () => {
  if (server?.child.pid && server.child.exitCode === null) process.kill(-server.child.pid, "SIGKILL");
  await server?.exited;
  const pg = postgresPid();
  if (pg) {
    process.kill(pg, "SIGQUIT");
    await waitFor("PostgreSQL to stop", () => (postgresPid() ? undefined : true), 10_000).catch(() => undefined);
  }
  rmSync(dataDir, { recursive: true, force: true });
});

it("stops on Ctrl+C (SIGINT to its whole process group) with no error lines and exit code 0, embedded PostgreSQL last", async () => {
  const port = await freePort();
  server = startSluiceProcess(
    { database: { url: "" }, dataDir },
    randomBytes(32),
    "main.ts",
    { DATABASE_URL: undefined, PORT: String(port), HOST: "127.0.0.1" },
    { processGroup: true },
  );
  const s = server;
  await waitFor("the server to be ready", () => (/is ready at/.test(s.output()) ? true : s.child.exitCode !== null ? false : undefined), 120_000);
  expect(s.output()).toMatch(/using embedded PostgreSQL/);

  // What a terminal does on Ctrl+C: the signal goes to every process of the foreground group, PostgreSQL included.
  process.kill(-(s.child.pid ?? 0), "SIGINT");
  const code = await s.exited;

  const output = s.output();
  expect(output).toMatch(/\[sluice\] stopped/);
  expect(output.split("\n").filter((l) => /error|failed:|57P01|administrator command/i.test(l))).toEqual([]);
  expect(code, output).toBe(0);
  expect(postgresPid(), "the embedded PostgreSQL is stopped too").toBeUndefined();
}, 180_000);
