import { describe, expect, it } from "vitest";
import { isSystemSchema } from "./system-schemas.ts";

describe("isSystemSchema", () => {
  it("refuses PostgreSQL's schemas, whatever the case, and Sluice's queue", () => {
    for (const s of ["pg_catalog", "PG_CATALOG", "pg_toast", "pg_temp", "pg_temp_3", "pg_toast_temp_3", "pg_anything", "information_schema", "Information_Schema", "pgboss"]) {
      expect(isSystemSchema(s), s).toBe(true);
    }
  });

  it("lets ordinary schemas through, including ones that merely contain those names", () => {
    for (const s of ["public", "sales", "pg", "pgcatalog", "my_pg_catalog", " pg_catalog", "information_schema2", "pgboss_archive", ""]) {
      expect(isSystemSchema(s), s).toBe(false);
    }
  });
});
