import { describe, expect, it } from "vitest";
import { fileFacts, fileOptionLabel } from "./file-description.ts";

const file = { name: "orders.csv", format: "csv" as const, columns: [{ name: "a", type: "bigint" as const }], size: 12_600, rowCount: 1000, createdAt: "2026-12-06T19:40:00.000Z" };

describe("file descriptions", () => {
  it("tell apart two files of the same name by rows, size and upload time", () => {
    const other = { ...file, size: 900, rowCount: 1, createdAt: "2026-12-07T08:05:00.000Z" };
    expect(fileOptionLabel(file)).not.toBe(fileOptionLabel(other));
    expect(fileOptionLabel(file)).toMatch(/^orders\.csv \(csv, 1 column\) · 1,000 rows · 12 KB · uploaded /);
    expect(fileFacts(other)).toMatch(/^1 row · 900 B · uploaded /);
    expect(fileFacts({ ...file, rowCount: null })).toMatch(/^rows not counted · /);
  });
});
