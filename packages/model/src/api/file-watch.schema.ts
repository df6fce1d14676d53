import { z } from "zod";

/**
 * A pipeline's watch on uploaded files: uploading a file whose name matches `pattern` (`*` any characters, `?` one,
 * case-insensitive, the whole name) starts one run. `null` clears the watch.
 */
export const setFileWatchRequestSchema = z.strictObject({
  pattern: z
    .string()
    .trim()
    .min(1, "Give a file name pattern, such as orders-*.csv, or null to stop watching.")
    .max(200, "A pattern is at most 200 characters.")
    .refine((p) => !/[/\\]/.test(p), "A pattern matches a file name, so it cannot hold / or \\.")
    .nullable(),
});
export type SetFileWatchRequest = z.input<typeof setFileWatchRequestSchema>;

export const fileWatchSchema = z.object({
  pattern: z.string().nullable(),
  /** The latest uploads the watch acted on, newest first: the run each started, or the queued run it joined. */
  recent: z.array(
    z.object({ fileId: z.string(), fileName: z.string(), runId: z.string().nullable(), coalesced: z.boolean(), createdAt: z.string() }),
  ),
});
export type FileWatch = z.infer<typeof fileWatchSchema>;

/** `*` any run of characters, `?` one; everything else literal; case-insensitive, matched against the whole name. */
export function fileNameMatches(pattern: string, name: string): boolean {
  const body = [...pattern].map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("");
  return new RegExp(`^${body}$`, "isu").test(name);
}
