import { describe, expect, it } from "vitest";
import { auditQueryParams, noAuditFilters } from "./audit-filters.ts";

describe("audit query", () => {
  it("leaves blank filters out and trims the others", () => {
    expect(auditQueryParams({ ...noAuditFilters, actor: " ann@example.com ", action: "pipeline.saved" }).toString()).toBe("actor=ann%40example.com&action=pipeline.saved");
  });

  it("turns days into the start and the end of those local days", () => {
    const q = auditQueryParams({ ...noAuditFilters, from: "2026-03-01", to: "2026-03-02" });
    expect(q.get("from")).toBe(new Date(2026, 2, 1).toISOString());
    expect(q.get("to")).toBe(new Date(2026, 2, 2, 23, 59, 59, 999).toISOString());
  });

  it("ignores a day that is not one and adds paging or format parameters", () => {
    const q = auditQueryParams({ ...noAuditFilters, from: "yesterday" }, { format: "ndjson" });
    expect(q.has("from")).toBe(false);
    expect(q.get("format")).toBe("ndjson");
  });
});
