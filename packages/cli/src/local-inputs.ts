import { realpath } from "node:fs/promises";
import path from "node:path";
import { error, fail, ok, type Issue, type Result } from "@sluice/model";
import type { DataFileInfo } from "@sluice/pipeline";
import { inspectFile } from "@sluice/engine";

/** One `--input ID=PATH` flag: the uploaded file id a pipeline names, and the local file standing in for it. */
export interface InputMapping {
  fileId: string;
  /** As the user wrote it, for messages. */
  given: string;
}

/** Parses the repeatable `--input ID=PATH` flags; a malformed or contradictory flag is a usage error. */
export function parseInputFlags(flags: readonly string[]): { ok: true; value: Map<string, InputMapping> } | { ok: false; message: string } {
  const mappings = new Map<string, InputMapping>();
  for (const flag of flags) {
    const at = flag.indexOf("=");
    const fileId = at > 0 ? flag.slice(0, at).trim() : "";
    const given = at > 0 ? flag.slice(at + 1).trim() : "";
    if (!fileId || !given) return { ok: false, message: `--input needs FILE_ID=PATH, e.g. --input orders=data/orders.csv (got "${flag}").` };
    const before = mappings.get(fileId);
    if (before && before.given !== given) return { ok: false, message: `--input maps "${fileId}" twice (${before.given} and ${given}); give it once.` };
    mappings.set(fileId, { fileId, given });
  }
  return { ok: true, value: mappings };
}

/**
 * The local files a pipeline's file sources read, inspected the way an upload is (format, parsing options,
 * columns), once each however many pipelines use them.
 */
export class LocalInputs {
  private readonly inspected = new Map<string, Promise<Result<DataFileInfo>>>();

  constructor(
    private readonly mappings: Map<string, InputMapping>,
    private readonly cwd: string = process.cwd(),
  ) {}

  has(fileId: string): boolean {
    return this.mappings.has(fileId);
  }

  /** The file's metadata as a file source needs it, or why it cannot be read; undefined when the id is not mapped. */
  describe(fileId: string): Promise<Result<DataFileInfo>> | undefined {
    const mapping = this.mappings.get(fileId);
    if (!mapping) return undefined;
    let pending = this.inspected.get(fileId);
    if (!pending) {
      pending = this.inspect(mapping);
      this.inspected.set(fileId, pending);
    }
    return pending;
  }

  private async inspect(m: InputMapping): Promise<Result<DataFileInfo>> {
    const flag = `--input ${m.fileId}=${m.given}`;
    let file: string;
    try {
      // DuckDB is only allowed into named folders, so the path it reads must be the real one, links resolved.
      file = await realpath(path.resolve(this.cwd, m.given));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return fail(error("FILE_UNREADABLE", `${flag}: ${code === "ENOENT" ? "there is no such file" : `the file cannot be opened (${code ?? String(e)})`}.`));
    }
    const name = path.basename(file);
    const r = await inspectFile(file, { name });
    if (!r.ok) return fail(...r.issues.map((i): Issue => ({ ...i, message: `${flag}: ${i.message}` })));
    const { format, columns, options, rowCount } = r.value;
    return ok({ id: m.fileId, name, path: file, format, columns, options, rowCount });
  }
}
