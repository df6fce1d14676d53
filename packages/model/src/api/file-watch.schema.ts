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

const sameLetter = (a: string, b: string) => a === b || a.toLowerCase() === b.toLowerCase() || a.toUpperCase() === b.toUpperCase();

/**
 * `*` any run of characters, `?` one; everything else literal; case-insensitive, matched against the whole name.
 * Matched by hand in at most pattern x name steps: a RegExp of `.*` per star backtracks exponentially (`*a*a*a…*b`
 * against a long name of a's never ended), and this runs in the upload's request on the server's one event loop.
 */
export function fileNameMatches(pattern: string, name: string): boolean {
  const p = [...pattern];
  const n = [...name];
  let i = 0;
  let j = 0;
  // The last star seen, and where in the name its run of characters ends now: on a mismatch it takes one more.
  let star = -1;
  let mark = 0;
  while (j < n.length) {
    if (i < p.length && p[i] !== "*" && (p[i] === "?" || sameLetter(p[i]!, n[j]!))) {
      i++;
      j++;
    } else if (i < p.length && p[i] === "*") {
      star = i++;
      mark = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++mark;
    } else return false;
  }
  while (p[i] === "*") i++;
  return i === p.length;
}
