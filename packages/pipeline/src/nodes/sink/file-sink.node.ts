import { z } from "zod";
import { error, fail, ok } from "@sluice/model";
import { defineNode } from "../../catalog/node-definition.ts";
import { sinkInputAsStoredSql, sinkInputSql } from "./sink-input.ts";
import { DATASET_PORT, passThrough } from "../../catalog/node-lineage.ts";

export const FILE_SINK_FORMATS = { csv: "csv", parquet: "parquet", json: "json" } as const;

/** Letters, digits, "-", "_" and inner dots: never a path, a hidden file or a separator. */
const OUTPUT_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_-]|\.(?=[A-Za-z0-9_-]))*$/;

export const fileSinkConfigSchema = z.object({
  /** The output's name without extension; the format's extension is added. */
  name: z
    .string()
    .max(100, "at most 100 characters")
    .regex(OUTPUT_NAME, "use letters, digits, '-', '_' and '.', starting with a letter or digit")
    .or(z.literal(""))
    .default(""),
  format: z.enum(["csv", "parquet", "json"]).default("csv"),
});
export type FileSinkConfig = z.infer<typeof fileSinkConfigSchema>;
export type FileSinkSpec = FileSinkConfig;

/** The file name an output gets: its name plus the format's extension, unless the name already ends in it. */
export function outputFileName(config: FileSinkConfig): string {
  const ext = `.${FILE_SINK_FORMATS[config.format]}`;
  return config.name.toLowerCase().endsWith(ext) ? config.name : `${config.name}${ext}`;
}

export const fileSinkNode = defineNode<FileSinkConfig>({
  type: "file-sink",
  version: 1,
  category: "sink",
  label: "File output",
  description: "Write rows to a CSV, Parquet or JSON file that can be downloaded from the run.",
  inputs: [{ name: "in", label: "Rows" }],
  outputs: [],
  configSchema: fileSinkConfigSchema,
  defaultConfig: { name: "", format: "csv" },
  summary: (c) => (c.name === "" ? "no name" : outputFileName(c)),
  inferSchema(ctx, config) {
    if (config.name === "") return fail(error("OUTPUT_NAME_REQUIRED", "Name the output file.", { nodeId: ctx.nodeId, field: "name" }));
    if ((ctx.inputs.in?.[0] ?? []).length === 0) {
      return fail(error("NO_COLUMNS", "The input has no columns to write.", { nodeId: ctx.nodeId, port: "in" }));
    }
    return ok({});
  },
  pushdown: () => ({ ok: false, reason: "a file is written by the worker, not by the database" }),
  // A file keeps its rows in row order.
  rowOrder: () => "uses",
  // The file's columns are the input's, written as they are.
  lineage: (ctx) => ({ [DATASET_PORT]: passThrough(ctx.inputs.in?.[0] ?? []) }),
  compile(ctx, config) {
    return {
      kind: "sink",
      target: "file",
      spec: { ...config },
      input: sinkInputSql(ctx.relations.in![0]!, ctx.inputs.in?.[0] ?? []),
      inputAsStored: sinkInputAsStoredSql(ctx.relations.in![0]!, ctx.inputs.in?.[0] ?? []),
    };
  },
});
