import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDMMF } from "@prisma/get-dmmf";
import pg from "pg";
import { repoRoot } from "../config.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";

/** Postgres column type (information_schema udt_name) a Prisma field must have, given its native @db type. */
function expectedUdt(field: { type: string; kind: string; nativeType?: readonly unknown[] | null }): string {
  const native = field.nativeType?.[0];
  if (native === "Uuid") return "uuid";
  if (native === "Timestamptz") return "timestamptz";
  if (field.kind === "enum") return field.type;
  const byType: Record<string, string> = {
    String: "text",
    Int: "int4",
    BigInt: "int8",
    Boolean: "bool",
    DateTime: "timestamp",
    Json: "jsonb",
    Float: "float8",
    Decimal: "numeric",
    Bytes: "bytea",
  };
  const t = byType[field.type];
  if (!t) throw new Error(`no mapping for Prisma type ${field.type}`);
  return t;
}

let db: TestDatabase;
let client: pg.Client;
beforeAll(async () => {
  db = await createTestDatabase();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await db.drop();
});

describe("migrations match schema.prisma", () => {
  const schema = readFileSync(path.join(repoRoot, "prisma/schema.prisma"), "utf8");
  const dmmf = getDMMF({ datamodel: schema });
  if ("reason" in dmmf) throw new Error(`schema.prisma does not parse: ${dmmf.reason}`);
  const models = dmmf.datamodel.models;

  it("has every model and field as a column of the right type and nullability", async () => {
    const { rows } = await client.query<{ table_name: string; column_name: string; udt_name: string; is_nullable: string }>(
      `SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const columns = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, r]));
    const problems: string[] = [];
    let checked = 0;
    for (const model of models) {
      const table = model.dbName ?? model.name;
      for (const field of model.fields) {
        if (field.kind === "object") continue;
        checked++;
        const key = `${table}.${field.dbName ?? field.name}`;
        const col = columns.get(key);
        if (!col) {
          problems.push(`${model.name}.${field.name}: column ${key} is missing`);
          continue;
        }
        const udt = expectedUdt(field as { type: string; kind: string; nativeType?: readonly unknown[] | null });
        if (col.udt_name !== udt) problems.push(`${key}: type ${col.udt_name}, schema.prisma says ${udt}`);
        const nullable = col.is_nullable === "YES";
        if (nullable === field.isRequired) problems.push(`${key}: nullable=${nullable}, schema.prisma says required=${field.isRequired}`);
        columns.delete(key);
      }
    }
    const extra = [...columns.keys()].filter((k) => !k.startsWith("_prisma_migrations."));
    for (const k of extra) problems.push(`${k}: column exists in the database but not in schema.prisma`);
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(40);
  });

  it("has every enum with the same values", async () => {
    for (const e of dmmf.datamodel.enums) {
      const { rows } = await client.query<{ v: string }>(
        `SELECT e.enumlabel AS v FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = $1 ORDER BY e.enumsortorder`,
        [e.name],
      );
      expect(rows.map((r) => r.v)).toEqual(e.values.map((v) => v.dbName ?? v.name));
    }
  });

  it("has every unique constraint and foreign key schema.prisma declares", async () => {
    const { rows: uniques } = await client.query<{ indexdef: string; tablename: string }>(
      `SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexdef LIKE 'CREATE UNIQUE INDEX%'`,
    );
    for (const model of models) {
      const table = model.dbName ?? model.name;
      for (const fields of model.uniqueFields) {
        const cols = fields.map((f) => model.fields.find((x) => x.name === f)?.dbName ?? f).join(", ");
        const hit = uniques.some((u) => u.tablename === table && u.indexdef.replaceAll('"', "").includes(`(${cols})`));
        expect(hit, `unique (${cols}) on ${table}`).toBe(true);
      }
    }
    const { rows: fks } = await client.query<{ table_name: string; column_name: string }>(
      `SELECT kcu.table_name, kcu.column_name FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage kcu ON tc.constraint_name = kcu.constraint_name
       WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'`,
    );
    const fkSet = new Set(fks.map((f) => `${f.table_name}.${f.column_name}`));
    for (const model of models) {
      for (const field of model.fields) {
        for (const from of field.relationFromFields ?? []) {
          const col = model.fields.find((x) => x.name === from)?.dbName ?? from;
          expect(fkSet.has(`${model.dbName ?? model.name}.${col}`), `foreign key ${model.name}.${from}`).toBe(true);
        }
      }
    }
  });
});
