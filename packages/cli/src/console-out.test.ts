import { afterEach, describe, expect, it, vi } from "vitest";
import { terminalOut, terminalText } from "./console-out.ts";
import { main } from "./main.ts";

// A pipeline file or a server names things; those names must never drive the terminal that prints them.
const ESC = "\x1b";
const hostile = `evil${ESC}]52;c;Y3VybCBldmlsfHNo\x07${ESC}]0;PWNED\x07${ESC}[31mRED${ESC}[0m\rFAKE\u202e\u009b2J`;

afterEach(() => vi.restoreAllMocks());

describe("terminalText", () => {
  it("prints escape sequences, CR, C1 and bidi controls as visible escapes", () => {
    expect(terminalText(hostile)).toBe("evil\\x1b]52;c;Y3VybCBldmlsfHNo\\x07\\x1b]0;PWNED\\x07\\x1b[31mRED\\x1b[0m\\x0dFAKE\\u202e\\x9b2J");
  });

  it("keeps tabs, line feeds and ordinary text, accents and emoji included", () => {
    const text = "a\tb\nCafé 東京 🚀 — ok";
    expect(terminalText(text)).toBe(text);
  });

  it("is what the bin writes to stdout and stderr", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    terminalOut.log(hostile);
    terminalOut.error(hostile);
    for (const spy of [log, error]) expect(spy.mock.calls[0]![0]).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/);
  });

  it("guards the CLI's own default output", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    await main([`no-such-command${ESC}]0;PWNED\x07`]);
    const printed = error.mock.calls.map((c) => String(c[0])).join("\n");
    expect(printed).toContain("no-such-command\\x1b]0;PWNED\\x07");
    expect(printed).not.toContain(ESC);
  });
});
