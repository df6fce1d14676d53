import type { DataFileInfoDto } from "@sluice/model";
import { formatBytes } from "../lib/format-bytes.ts";
import { formatDateTime } from "../lib/format-time.ts";

type Described = Pick<DataFileInfoDto, "name" | "size" | "rowCount" | "createdAt" | "columns" | "format">;

const rows = (n: number | null) => (n === null ? "rows not counted" : `${n.toLocaleString("en-US")} ${n === 1 ? "row" : "rows"}`);

/** What tells a file from another of the same name: "1,000 rows · 12 KB · uploaded 6 Dec 2026, 19:40". */
export function fileFacts(f: Pick<DataFileInfoDto, "size" | "rowCount" | "createdAt">): string {
  return `${rows(f.rowCount)} · ${formatBytes(f.size)} · uploaded ${formatDateTime(f.createdAt)}`;
}

/** A file as one line of a picker: its name, format and column count, and the facts that tell same-named files apart. */
export function fileOptionLabel(f: Described): string {
  return `${f.name} (${f.format}, ${f.columns.length} ${f.columns.length === 1 ? "column" : "columns"}) · ${fileFacts(f)}`;
}
