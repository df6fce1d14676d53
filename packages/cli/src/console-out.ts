import type { Issue } from "@sluice/model";

/** Where the command writes: stdout and stderr in the bin (terminalOut), collected lines in tests. */
export type Out = { log(line: string): void; error(line: string): void };

/**
 * Every character that could drive a terminal or change what a line shows, but tab and line feed: C0 controls (ESC
 * starts sequences that recolour or clear the screen, set the window title, write the clipboard with OSC 52; CR
 * overwrites the line), DEL, C1 controls (U+009B is a one-character CSI in some terminals) and the bidirectional
 * overrides and isolates, which reorder what is shown.
 */
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The line as it may reach a terminal: names, messages and run logs come from pipeline files and from the server,
 * and neither may drive the user's terminal, so each unsafe character is printed as its escape (`\x1b`, `\u202e`).
 */
export function terminalText(line: string): string {
  return line.replace(TERMINAL_UNSAFE, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, "0")}` : `\\u${n.toString(16).padStart(4, "0")}`;
  });
}

/** stdout and stderr, every line made safe for a terminal first (see terminalText). */
export const terminalOut: Out = {
  log: (line) => console.log(terminalText(line)),
  error: (line) => console.error(terminalText(line)),
};

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
