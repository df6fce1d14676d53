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
