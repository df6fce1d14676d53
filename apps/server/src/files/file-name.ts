import { hasUndisplayable } from "@sluice/model";

/** Longest file name kept, as most file systems allow. */
export const MAX_FILE_NAME_LENGTH = 255;

/**
 * Why an uploaded file's name cannot be kept as its display name, or undefined when it can. The name is
 * metadata only (the stored file gets a generated name), and busboy has already cut any folders off it.
 */
export function fileNameProblem(name: string): string | undefined {
  // NUL cannot be stored; other controls garble a list or a log line; direction marks disguise a name (evil\u202egnp.exe).
  if (hasUndisplayable(name)) return "The file name contains a control character (such as NUL or a line break) or a text-direction mark; rename the file and upload it again.";
  if (name.length > MAX_FILE_NAME_LENGTH) return `The file name is longer than ${MAX_FILE_NAME_LENGTH} characters; rename the file and upload it again.`;
  return undefined;
}

/** The name and extension of a file name, an extension being a last dot that is not the first character ("orders", ".csv"). */
function splitExtension(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? { stem: name.slice(0, dot), ext: name.slice(dot) } : { stem: name, ext: "" };
}

/**
 * The stem shared by a name and its numbered copies: "orders" for "orders.csv" and for "orders (2).csv", so a third
 * copy is "orders (3).csv", not "orders (2) (2).csv".
 */
export function copyStem(name: string): string {
  return splitExtension(name).stem.replace(/ \(\d+\)$/, "");
}

/**
 * A name for a file kept beside one of the same name, as desktops number copies: "orders (2).csv", then (3)…,
 * the first one not in `taken` (names starting with `copyStem(name)`); the stem is shortened if the result would
 * pass the length limit.
 */
export function keepBothName(name: string, taken: ReadonlySet<string>): string {
  const { ext } = splitExtension(name);
  const stem = copyStem(name);
  for (let n = 2; ; n++) {
    const suffix = ` (${n})${ext}`;
    const candidate = stem.slice(0, MAX_FILE_NAME_LENGTH - suffix.length) + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}
