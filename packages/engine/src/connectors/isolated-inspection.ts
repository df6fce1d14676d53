import { fork } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { error, fail, type Result } from "@sluice/model";
import { nestingProblem, type FileFormat, type InspectedFile } from "./file-inspector.ts";

const CHILD = fileURLToPath(new URL("./inspect-child.ts", import.meta.url));
/** The child runs our TypeScript as the server does, through tsx, found from here whatever the working directory. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/**
 * The child parses files from strangers, so it gets none of the server's secrets (database URL, secret key,
 * tokens): only what Node, tsx and DuckDB need to run. Its temporary folder (DuckDB spills there) is one made for
 * it here and removed here, so a child killed or crashed mid-read leaves nothing behind.
 */
const childEnv = (tmp: string) => ({
  ...Object.fromEntries(["PATH", "HOME", "LANG", "LC_ALL", "TZ"].flatMap((k) => (process.env[k] === undefined ? [] : [[k, process.env[k]]]))),
  TMPDIR: tmp,
});

/** A minute to start and look, then a second per 4 MB: DuckDB reads the whole file two or three times. */
const timeoutFor = (bytes: number) => 60_000 + Math.ceil(bytes / (4 * 1024 * 1024)) * 1000;

export interface IsolatedInspectionOptions {
  /** Default: a minute plus a second per 4 MB of file. */
  timeoutMs?: number;
  /** Where a crash or timeout is told, with what the child wrote to stderr, for whoever runs the server. */
  log?: (message: string) => void;
}

// Each child is a whole Node process with its own DuckDB: a burst of uploads waits for a slot instead.
const slots = { free: Math.max(2, os.availableParallelism()), waiting: [] as (() => void)[] };
async function acquire() {
  if (slots.free > 0) slots.free--;
  else await new Promise<void>((resolve) => slots.waiting.push(resolve));
}
function release() {
  const next = slots.waiting.shift();
  if (next) next();
  else slots.free++;
}

const unreadable = (name: string, why: string) => fail<InspectedFile>(error("FILE_UNREADABLE", `"${name}" could not be read: ${why}`, { field: "file" }));

function runChild(file: string, hint: { name: string; format?: FileFormat }, timeoutMs: number, tmp: string, log: (m: string) => void) {
  return new Promise<Result<InspectedFile>>((resolve, reject) => {
    const child = fork(CHILD, [], { execArgv: ["--import", TSX], env: childEnv(tmp), stdio: ["ignore", "ignore", "pipe", "ipc"] });
    let answer: Result<InspectedFile> | undefined;
    let timedOut = false;
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString("utf8")).slice(-2000)));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("message", (m) => {
      if (typeof m === "object" && m !== null && "ok" in m) answer = m as Result<InspectedFile>;
    });
    child.on("error", (e) => {
      // Only a child that never started has no exit to wait for; send errors are followed by its exit.
      if (child.pid === undefined) {
        clearTimeout(timer);
        reject(new Error(`could not start the file inspector: ${e.message}`));
      }
    });
    // "close" comes after the process has gone and its stderr is read to the end.
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (answer) return resolve(answer); // whatever happened after it answered
      const how = signal ?? `exit code ${code}`;
      log(`inspecting ${file} ${timedOut ? `timed out after ${timeoutMs} ms` : `ended with ${how}`}${stderr.trim() ? `: ${stderr.trim()}` : ""}`);
      if (timedOut) {
        resolve(unreadable(hint.name, `reading it took longer than ${Math.round(timeoutMs / 1000)} s, so it was stopped. Check that the file is what you meant to upload, or split it into smaller files.`));
      } else {
        resolve(
          unreadable(
            hint.name,
            `the reader stopped unexpectedly (${how}). The file may be damaged or built in a way Sluice cannot read; check that it opens in another tool, or export it again.`,
          ),
        );
      }
    });
    child.send({ file, hint }, (e) => {
      if (e) log(`sending ${file} to the file inspector failed: ${e.message}`);
    });
  });
}

/**
 * inspectFile in a child process, for files from users: DuckDB parses the file there, so a file that crashes
 * DuckDB (a native stack overflow, say) or hangs it ends that child only, and comes back as FILE_UNREADABLE.
 * A worker thread would not do: a native crash in a thread takes the whole process down.
 */
export async function inspectFileIsolated(
  file: string,
  hint: { name: string; format?: FileFormat },
  o: IsolatedInspectionOptions = {},
): Promise<Result<InspectedFile>> {
  // Checked here too, before any process is started: a flood of deep files then costs no children.
  const tooDeep = await nestingProblem(file, hint).catch(() => undefined); // unopenable: the child will say so
  if (tooDeep) return fail(tooDeep);
  const timeoutMs = o.timeoutMs ?? timeoutFor(await stat(file).then((s) => s.size, () => 0));
  await acquire();
  let tmp: string | undefined;
  try {
    tmp = await mkdtemp(path.join(os.tmpdir(), "sluice-inspect-"));
    return await runChild(file, hint, timeoutMs, tmp, o.log ?? (() => undefined));
  } finally {
    release();
    // After the child's exit: nothing writes there any more.
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}
