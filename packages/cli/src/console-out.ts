import type { Issue } from "@sluice/model";

/** Where the command writes: stdout and stderr in the bin, collected lines in tests. */
export type Out = { log(line: string): void; error(line: string): void };

/** `CODE [node.field]: message`, the part of a problem line every command prints the same way. */
export function problemText(x: Pick<Issue, "code" | "message" | "nodeId" | "field">): string {
  const where = x.nodeId ? `${x.nodeId}${x.field ? `.${x.field}` : ""}` : (x.field ?? "");
  return `${x.code}${where ? ` [${where}]` : ""}: ${x.message}`;
}

/** One problem as `file: severity CODE [node.field]: message`, the same shape for server and local validation. */
export function problemLine(file: string, x: Pick<Issue, "severity" | "code" | "message" | "nodeId" | "field">): string {
  return `${file}: ${x.severity} ${problemText(x)}`;
}

export const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** Prints problems (errors to stderr, warnings to stdout) and "valid" when there is no error; returns the error count. */
export function printProblems(file: string, problems: Issue[], out: Out): number {
  for (const x of problems) out[x.severity === "error" ? "error" : "log"](problemLine(file, x));
  const errors = problems.filter((x) => x.severity === "error").length;
  if (errors === 0) out.log(`${file}: valid`);
  return errors;
}
