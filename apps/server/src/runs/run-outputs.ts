import { constants } from "node:fs";
import { lstat, open, readdir, realpath, type FileHandle } from "node:fs/promises";
import path from "node:path";

/** What a file sink may name a file; anything else (separators, `..`, hidden names) is no output. */
const OUTPUT_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}$/;

export interface OpenedOutput {
  handle: FileHandle;
  name: string;
  size: number;
}

/**
 * A run's folder under DATA_DIR/outputs, resolved: undefined unless it is a real directory (not a link) directly
 * inside the outputs folder. The outputs folder itself may be a link the admin made; nothing below it may.
 */
async function runFolder(outputsDir: string, runId: string): Promise<string | undefined> {
  if (!OUTPUT_NAME.test(runId)) return undefined;
  try {
    const base = await realpath(outputsDir);
    const dir = path.join(base, runId);
    const st = await lstat(dir);
    return st.isDirectory() && (await realpath(dir)) === dir ? dir : undefined;
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

/** The regular files a run wrote (links, hard links and folders in its folder are not outputs), by name. */
export async function listOutputs(outputsDir: string, runId: string) {
  const dir = await runFolder(outputsDir, runId);
  if (!dir) return [];
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && OUTPUT_NAME.test(e.name));
  const files = await Promise.all(
    entries.map(async (e) => {
      const st = await lstat(path.join(dir, e.name)).catch(() => undefined);
      // As openOutput: a file with another name elsewhere is not offered for download.
      return st?.isFile() && st.nlink === 1 ? { name: e.name, format: path.extname(e.name).slice(1), bytes: st.size } : undefined;
    }),
  );
  return files.filter((f) => f !== undefined).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * Opens one output for download, or undefined. The file is opened with O_NOFOLLOW, so a link planted in place of
 * an output is refused by the kernel, and what was opened is checked afterwards to be a regular file with one name
 * that is still the file at that path inside the run's folder, so swapping a folder for a link between the check
 * and the open gains nothing. A hard link (more than one name) could point at any file on the disk: refused too.
 */
export async function openOutput(outputsDir: string, runId: string, name: string): Promise<OpenedOutput | undefined> {
  if (!OUTPUT_NAME.test(name)) return undefined;
  const dir = await runFolder(outputsDir, runId);
  if (!dir) return undefined;
  const file = path.join(dir, name);
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    if (isMissing(e) || (e as NodeJS.ErrnoException).code === "ELOOP") return undefined;
    throw e;
  }
  try {
    const opened = await handle.stat();
    const atPath = await lstat(file);
    const sameFile = opened.ino === atPath.ino && opened.dev === atPath.dev;
    if (!opened.isFile() || opened.nlink !== 1 || !sameFile || (await realpath(file)) !== file) {
      await handle.close();
      return undefined;
    }
    return { handle, name, size: opened.size };
  } catch (e) {
    await handle.close();
    if (isMissing(e)) return undefined;
    throw e;
  }
}

const isMissing = (e: unknown) => ["ENOENT", "ENOTDIR"].includes((e as NodeJS.ErrnoException).code ?? "");
