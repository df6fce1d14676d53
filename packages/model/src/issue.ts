import { z } from "zod";

/** A problem found in user input or a graph: data, never thrown. */
export const issueSchema = z.object({
  severity: z.enum(["error", "warning"]),
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  message: z.string(),
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  port: z.string().optional(),
  field: z.string().optional(),
});
export type Issue = z.infer<typeof issueSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(...issues: Issue[]): Result<T> => ({ ok: false, issues });
/** fail for a list of any length: spreading a list into fail's arguments throws a RangeError from about 100,000. */
export const failAll = <T = never>(issues: Issue[]): Result<T> => ({ ok: false, issues });

export const error = (code: string, message: string, where: Omit<Issue, "severity" | "code" | "message"> = {}): Issue => ({
  severity: "error",
  code,
  message,
  ...where,
});
export const warning = (code: string, message: string, where: Omit<Issue, "severity" | "code" | "message"> = {}): Issue => ({
  severity: "warning",
  code,
  message,
  ...where,
});
