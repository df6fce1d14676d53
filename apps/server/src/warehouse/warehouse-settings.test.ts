import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { warehouseNames } from "./warehouse-names.ts";
import { settingsFromUrl, warehousePassword } from "./warehouse-settings.ts";

describe("warehouseNames", () => {
  it("names the warehouse after the metadata database", () => {
    expect(warehouseNames("sluice")).toEqual({ database: "sluice_warehouse", role: "sluice_warehouse" });
  });

  it("keeps long names within PostgreSQL's 63 bytes, and different long names different", () => {
    const a = warehouseNames(`${"é".repeat(40)}_a`);
    const b = warehouseNames(`${"é".repeat(40)}_b`);
    for (const n of [a, b]) {
      expect(Buffer.byteLength(n.database)).toBeLessThanOrEqual(63);
      expect(n.database).toMatch(/_[0-9a-f]{8}_warehouse$/);
    }
    expect(a.database).not.toBe(b.database);
  });
});

describe("settingsFromUrl and warehousePassword", () => {
  it("reads host, port, database, user and sslmode, with the database and user replaceable", () => {
    expect(settingsFromUrl("postgresql://a%40b:pw@db.example:6543/meta%20db?sslmode=verify-full")).toEqual({
      host: "db.example",
      port: 6543,
      database: "meta db",
      user: "a@b",
      sslMode: "verify-full",
    });
    expect(settingsFromUrl("postgres://u@[::1]/m", { database: "w", user: "r" })).toEqual({ host: "::1", port: 5432, database: "w", user: "r", sslMode: "disable" });
    // An sslmode we do not know is taken as requiring TLS rather than dropping it.
    expect(settingsFromUrl("postgres://u@h/m?sslmode=verify-ca").sslMode).toBe("require");
  });

  it("derives one password per key and role", () => {
    const key = randomBytes(32);
    expect(warehousePassword(key, "r")).toBe(warehousePassword(Buffer.from(key), "r"));
    expect(warehousePassword(key, "r")).not.toBe(warehousePassword(key, "s"));
    expect(warehousePassword(key, "r")).not.toBe(warehousePassword(randomBytes(32), "r"));
    expect(warehousePassword(key, "r")).toMatch(/^[0-9a-f]{64}$/);
  });
});
