import { describe, expect, it } from "vitest";
import { DialectUnsupported } from "./dialect.ts";
import { re2ToPostgres } from "./re2-to-postgres.ts";
import { formatPattern, formatToPostgres } from "./strftime-to-postgres.ts";

const pg = (p: string) => re2ToPostgres(p, { lazy: true });

describe("re2ToPostgres", () => {
  it("spells RE2's ASCII classes, dot and word boundaries as PostgreSQL reads them", () => {
    expect(pg("^\\d+\\.\\w*$")).toBe("^[0-9]+\\.[0-9A-Za-z_]*$");
    expect(pg("a.b")).toBe("a[^\\n]b");
    expect(pg("\\bcat\\b")).toBe("\\ycat\\y");
    expect(pg("[\\d\\s-]")).toBe("[0-9\t\n\f\r -]");
    expect(pg("[[:alpha:]]")).toBe("[A-Za-z]");
    expect(pg("(?P<year>\\d{4})")).toBe("([0-9]{4})");
    expect(pg("(?i)abc")).toBe("(?i)abc");
  });

  it("keeps a brace that is not a repetition literal, as RE2 does", () => {
    expect(pg("a{b}")).toBe("a\\{b\\}");
    expect(pg("a{2,3}")).toBe("a{2,3}");
  });

  it("refuses what has no exact counterpart, naming it", () => {
    for (const p of ["\\p{L}", "(?s).", "a(?i)b", "[[:print:]]", "\\C"]) expect(() => pg(p)).toThrow(DialectUnsupported);
    expect(() => re2ToPostgres("a+?", { lazy: false })).toThrow(/lazy quantifier/);
    expect(re2ToPostgres("a+?", { lazy: true })).toBe("a+?");
  });

  it("refuses in a replacement what finds other matches in PostgreSQL, and keeps what finds the same", () => {
    const replace = (p: string) => re2ToPostgres(p, { lazy: false });
    // RE2 takes the first alternative or repetition that matches, PostgreSQL the longest; RE2 skips an empty match
    // right after a match.
    expect(() => replace("a|ab")).toThrow(/alternatives/);
    expect(() => replace("(ab)*c")).toThrow(/repeated or optional group/);
    expect(() => replace("(a[ab]?)+b")).toThrow(/repeated or optional group/);
    expect(() => replace("(x){2}")).toThrow(/repeated or optional group/);
    expect(() => replace("a*")).toThrow(/empty text as well as more/);
    expect(() => replace("^x?\\b")).toThrow(/empty text as well as more/);
    for (const p of ["a*b", "[0-9]+", "^", "\\b", "^$", "(\\w+)@(\\w+)", "[a|b]", "a\\|b", "x{0,2}y", "a?b?c"]) expect(() => replace(p), p).not.toThrow();
    // A test of whether the pattern matches is unaffected.
    expect(re2ToPostgres("a|(ab)*", { lazy: true })).toBe("a|(ab)*");
  });
});

describe("strftime formats for PostgreSQL", () => {
  it("quotes literal text and reads each specifier strictly", () => {
    expect(formatToPostgres("%d/%m/%Y at %H:%M")).toBe('DD"/"MM"/"YYYY" ""a""t"" "HH24":"MI');
    // As strptime reads: spaces around the text skipped, numbers up to their width and never given back.
    const two = "(?:[0-9]{2}|[0-9]{1,1}(?![0-9]))";
    const space = "[ \\t\\n\\v\\f\\r]";
    expect(formatPattern("%d.%m.%Y")).toBe(`^${space}*(?!${space})${two}\\.${two}\\.(?:[0-9]{4}|[0-9]{1,3}(?![0-9]))${space}*$`);
    expect(() => formatToPostgres("%Q")).toThrow(DialectUnsupported);
    // Every %- form the editor accepts has a counterpart (FM drops the leading zeros).
    expect(formatToPostgres("%-d%-m%-y%-H%-I%-M%-S%-j")).toBe("FMDDFMMMFMYYFMHH24FMHH12FMMIFMSSFMDDD");
  });
});
