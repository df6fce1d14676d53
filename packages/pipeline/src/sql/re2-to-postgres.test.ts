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
});

describe("strftime formats for PostgreSQL", () => {
  it("quotes literal text and reads each specifier strictly", () => {
    expect(formatToPostgres("%d/%m/%Y at %H:%M")).toBe('DD"/"MM"/"YYYY" ""a""t"" "HH24":"MI');
    expect(formatPattern("%d.%m.%Y")).toBe("^[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{4}$");
    expect(() => formatToPostgres("%Q")).toThrow(DialectUnsupported);
  });
});
