import { randomUUID } from "node:crypto";
import { mkdir, rename, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { error, fail, ok, type Result } from "@sluice/model";
import { fileSinkConfigSchema, outputFileName, quoteLiteral, type FileSinkConfig } from "@sluice/pipeline";
import type { SinkContext, SinkResult } from "../connector.ts";
import { countFrom } from "./duck-load.ts";

export interface FileSinkOptions {
  /** The run's outputs folder; the output's `path` is relative to it. */
  outputDir: string;
}

const COPY_OPTIONS: Record<FileSinkConfig["format"], string> = {
  csv: "FORMAT csv, HEADER true",
  parquet: "FORMAT parquet",
  // One JSON array of objects, so the file is a single valid JSON document.
  json: "FORMAT json, ARRAY true",
};

/**
 * Writes the sink's rows to a file: DuckDB COPYs them to a hidden temporary name in the outputs folder,
 * which is then renamed over the final name (atomic on one file system), so a reader never sees half a file.
 */
export async function writeFileSink(ctx: SinkContext, spec: Record<string, unknown>, options: FileSinkOptions): Promise<Result<SinkResult>> {
  const nodeId = ctx.nodeId;
  const parsed = fileSinkConfigSchema.safeParse(spec);
  if (!parsed.success || parsed.data.name === "") {
    return fail(error("INVALID_CONFIG", "The output's settings are not valid; validate the pipeline.", { nodeId }));
  }
  const config = parsed.data;
  const name = outputFileName(config);
  const final = path.join(options.outputDir, name);
  const temporary = path.join(options.outputDir, `.${name}.${randomUUID()}.tmp`);
  const cancelled = () => fail<SinkResult>(error("SINK_CANCELLED", `Cancelled; ${name} was not written.`, { nodeId }));
  if (ctx.signal.aborted) return cancelled();
  let renamed = false;
  try {
    await mkdir(options.outputDir, { recursive: true });
    const copied = await ctx.duck.query(`COPY (${ctx.select}) TO ${quoteLiteral(temporary)} (${COPY_OPTIONS[config.format]})`);
    const rowsWritten = copied.length ? countFrom(copied) : countFrom(await ctx.duck.query(`SELECT count(*) AS "Count" FROM (${ctx.select})`));
    if (ctx.signal.aborted) return cancelled();
    await rename(temporary, final);
    renamed = true;
    const bytes = (await stat(final)).size;
    ctx.log("info", `Wrote ${rowsWritten} rows to ${name}.`);
    return ok({ rowsWritten, output: { name, path: name, format: config.format, bytes } });
  } catch (e) {
    if (ctx.signal.aborted) return cancelled();
    return fail(error("FILE_SINK_FAILED", `Writing ${name} failed: ${(e as Error).message}`, { nodeId }));
  } finally {
    if (!renamed) await unlink(temporary).catch(() => undefined);
  }
}
