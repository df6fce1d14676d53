import { describe, expect, it } from "vitest";
import { redact } from "./database.ts";

// The server logs DATABASE_URL at start; its password must not reach the log wherever the URL carries it.
describe("redact", () => {
  it("hides the password after the user name", () => {
    expect(redact("postgresql://sluice:s3cret@db.internal:5432/sluice")).toBe("postgresql://sluice:***@db.internal:5432/sluice");
  });

  it("hides passwords given as query parameters, in any case, and keeps the other parameters", () => {
    const shown = redact("postgresql://sluice@db.internal/sluice?sslmode=require&password=s3cret&SSLPASSWORD=k3y&Password=again");
    expect(shown).not.toMatch(/s3cret|k3y|again/);
    expect(new URL(shown).searchParams.get("sslmode")).toBe("require");
    expect(new URL(shown).searchParams.get("password")).toBe("***");
    expect(new URL(shown).searchParams.get("SSLPASSWORD")).toBe("***");
  });

  it("hides a query password of a URL without a host (a Unix socket)", () => {
    expect(redact("postgres:///sluice?host=/var/run/postgresql&password=s3cret")).not.toContain("s3cret");
  });

  it("says so rather than echo a URL it cannot read", () => {
    expect(redact("not a url with s3cret")).toBe("(unparseable URL)");
  });
});
