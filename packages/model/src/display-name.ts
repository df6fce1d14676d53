import { z } from "zod";

/**
 * C0 and C1 controls (line breaks, tabs, ESC, CSI…), DEL, and the marks that reorder text on screen (bidi
 * embeddings, overrides and isolates). A name holding one can rewrite a terminal line, drive the terminal
 * (OSC 52 writes the clipboard) or show people another name than the one stored.
 */
const UNDISPLAYABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** Whether a name people will see holds a character that cannot be shown as itself (see above). */
export const hasUndisplayable = (s: string) => UNDISPLAYABLE.test(s);

/** The name of something people pick from a list: a pipeline, a connection, an API token. One line, 1-200 characters. */
export const displayNameSchema = z
  .string()
  .trim()
  .min(1, "a name is required")
  .max(200)
  .refine((s) => !hasUndisplayable(s), "a name is one line of text: remove line breaks, tabs, control characters and text-direction marks");
