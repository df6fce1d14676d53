import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { quoteIdent } from "@sluice/pipeline";
import { BUILT_IN_CONNECTION_ID } from "../connections/connection.repository.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { admin, adminUrl, createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { sqlRows } from "../testing/sql-rows.ts";
import { dropWarehouse } from "../testing/test-warehouse.ts";
import { provisionWarehouse } from "./warehouse-provisioner.ts";
import { warehouseNames } from "./warehouse-names.ts";

/** Roles are global to the server: every one made here is dropped in afterAll, databases first. */
const tag = randomBytes(4).toString("hex");
const made = { databases: [] as string[], roles: [] as string[] };
const sql = (text: string) => admin((c) => c.query(text));
const urlFor = (user: string, database: string) => {
  const u = new URL(adminUrl);
  u.username = user;
  u.password = "";
  u.pathname = `/${database}`;
  return u.toString();
};
async function makeRole(name: string, attributes: string) {
  made.roles.push(name);
  await sql(`CREATE ROLE ${quoteIdent(name)} ${attributes}`);
}
async function makeDatabase(name: string, owner: string) {
  made.databases.push(name);
  await sql(`CREATE DATABASE ${quoteIdent(name)} OWNER ${quoteIdent(owner)}`);
}
const adminOn = (database: string) => {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
};
const adminUser = decodeURIComponent(new URL(adminUrl).username) || "postgres";
const log = () => {};
const key = randomBytes(32);

let meta: TestDatabase;
beforeAll(async () => {
  meta = await createTestDatabase({ migrate: false });
});
afterAll(async () => {
  await meta?.drop();
  for (const d of made.databases) await sql(`DROP DATABASE IF EXISTS ${quoteIdent(d)} WITH (FORCE)`);
  for (const r of made.roles.reverse()) await sql(`DROP ROLE IF EXISTS ${quoteIdent(r)}`);
});

describe("WAREHOUSE_URL", () => {
  it("is used as given when its role is safe, and Sluice makes no warehouse of its own", async () => {
    const role = `sluice_t${tag}_given`;
    await makeRole(role, "LOGIN");
    await makeDatabase(`sluice_t${tag}_given`, role);
    // Only the warehouse's own role may connect, as the README asks of a metadata database.
    await sql(`REVOKE CONNECT ON DATABASE ${quoteIdent(meta.name)} FROM PUBLIC`);
    const state = await provisionWarehouse({ metadataUrl: meta.url, warehouseUrl: urlFor(role, `sluice_t${tag}_given`), secretKey: key, log });
    expect(state).toMatchObject({ available: true, settings: { database: `sluice_t${tag}_given`, user: role } });
    expect(await sqlRows(urlFor(role, `sluice_t${tag}_given`), "SELECT to_regnamespace('warehouse')::text AS s")).toEqual([{ s: "warehouse" }]);
    expect(await sqlRows(adminUrl, "SELECT 1 FROM pg_roles WHERE rolname = $1", [warehouseNames(meta.name).role])).toEqual([]);
    await sql(`GRANT CONNECT ON DATABASE ${quoteIdent(meta.name)} TO PUBLIC`);
  });

  it("is refused, with what to fix, when its role is a superuser, may reach the metadata database, or is the metadata database", async () => {
    const asSuperuser = await provisionWarehouse({ metadataUrl: meta.url, warehouseUrl: adminUrl, secretKey: key, log });
    expect(asSuperuser).toMatchObject({ available: false, reason: expect.stringMatching(/a superuser, who could read server files.*without SUPERUSER/) });

    const role = `sluice_t${tag}_nosy`;
    await makeRole(role, "LOGIN");
    await makeDatabase(`sluice_t${tag}_nosy`, role);
    const nosy = await provisionWarehouse({ metadataUrl: meta.url, warehouseUrl: urlFor(role, `sluice_t${tag}_nosy`), secretKey: key, log });
    expect(nosy).toMatchObject({ available: false, reason: expect.stringMatching(new RegExp(`may connect to Sluice's metadata database "${meta.name}".*REVOKE CONNECT`)) });

    const same = await provisionWarehouse({ metadataUrl: meta.url, warehouseUrl: urlFor(role, meta.name), secretKey: key, log });
    expect(same).toMatchObject({ available: false, reason: expect.stringMatching(/is Sluice's own metadata database/) });

    const unreachable = await provisionWarehouse({ metadataUrl: meta.url, warehouseUrl: urlFor(role, `sluice_t${tag}_missing`), secretKey: key, log });
    expect(unreachable).toMatchObject({ available: false, reason: expect.stringMatching(/cannot connect to WAREHOUSE_URL .*does not exist/) });
  });
});

describe("Sluice's own warehouse", () => {
  it("is made by a metadata user with CREATEROLE and CREATEDB but no superuser, and is as closed as a superuser would make it", async () => {
    const owner = `sluice_t${tag}_meta`;
    const database = `sluice_t${tag}_meta`;
    await makeRole(owner, "LOGIN CREATEROLE CREATEDB");
    await makeDatabase(database, owner);
    const names = warehouseNames(database);
    made.databases.push(names.database);
    made.roles.push(names.role); // after its maker, so afterAll (which goes backwards) drops it first
    try {
      const first = await provisionWarehouse({ metadataUrl: urlFor(owner, database), secretKey: key, log });
      expect(first).toMatchObject({ available: true, settings: { database: names.database, user: names.role } });
      const again = await provisionWarehouse({ metadataUrl: urlFor(owner, database), secretKey: key, log });
      expect(again).toEqual(first);
      const [role] = await sqlRows(adminUrl, "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = $1", [names.role]);
      expect(role).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false });
      await expect(sqlRows(urlFor(names.role, database), "SELECT 1")).rejects.toThrow(/permission denied for database/);
    } finally {
      await dropWarehouse(database);
    }
  });

  it("is not made over a role of the same name that is a superuser; the reason says what to do", async () => {
    const database = `sluice_t${tag}_clash`;
    const names = warehouseNames(database);
    await makeRole(names.role, "LOGIN SUPERUSER");
    await makeDatabase(database, adminUser);
    const state = await provisionWarehouse({ metadataUrl: adminOn(database), secretKey: key, log });
    made.databases.push(names.database);
    expect(state).toMatchObject({ available: false, reason: expect.stringMatching(new RegExp(`"${names.role}" already exists and is a superuser.*will not use or change it`)) });
    const [still] = await sqlRows(adminUrl, "SELECT rolsuper, rolpassword IS NULL AS nopassword FROM pg_authid WHERE rolname = $1", [names.role]);
    expect(still).toEqual({ rolsuper: true, nopassword: true }); // Sluice neither demotes someone else's role nor sets its password
    expect(await sqlRows(adminUrl, "SELECT 1 FROM pg_database WHERE datname = $1", [names.database])).toEqual([]);
  });
});

describe("a metadata user that may not create roles or databases, and no WAREHOUSE_URL", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ metadataOwner: "unprivileged" });
  }, 60_000);
  afterAll(async () => t?.close());

  it("turns the built-in warehouse off, and the API says why and refuses to use it", async () => {
    const reason = /may not create roles and databases.*Set WAREHOUSE_URL/;
    const list = await request(t.app).get("/api/connections");
    const builtIn = list.body.connections.find((c: { id: string }) => c.id === BUILT_IN_CONNECTION_ID);
    expect(builtIn).toMatchObject({ builtIn: true, hasPassword: false, unavailable: expect.stringMatching(reason) });
    expect((await request(t.app).get("/api/health")).body.warehouse).toEqual({ available: false });
    const test = await request(t.app).post(`/api/connections/${BUILT_IN_CONNECTION_ID}/test`);
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ ok: false, message: expect.stringMatching(reason) });
    const graph = {
      formatVersion: 1,
      nodes: [{ id: "src", type: "postgres", position: { x: 0, y: 0 }, config: { connectionId: BUILT_IN_CONNECTION_ID, mode: "query", sql: "SELECT 1 AS n" } }],
      edges: [],
    };
    const checked = await request(t.app).post("/api/pipelines/validate").send({ graph });
    expect(checked.body.problems.filter((p: { severity: string }) => p.severity === "error")).toEqual([expect.objectContaining({ code: "CONNECTION_UNAVAILABLE", nodeId: "src", field: "connectionId", message: expect.stringMatching(reason) })]);
    // A pipeline loading into it (the demo's shape) is refused before it runs, saying why.
    const load = {
      formatVersion: 1,
      nodes: [
        { id: "rows", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "n", type: "integer" }], rows: [[1]] } },
        { id: "load", type: "postgres-sink", position: { x: 300, y: 0 }, config: { connectionId: BUILT_IN_CONNECTION_ID, schema: "warehouse", table: "t", mode: "replace" } },
      ],
      edges: [{ id: "e", source: "rows", target: "load" }],
    };
    const p = await request(t.app).post("/api/pipelines").send({ name: "Into the warehouse", graph: load });
    const started = await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({});
    expect(started.status).toBe(422);
    expect(started.body.error.details.problems).toEqual([expect.objectContaining({ code: "CONNECTION_UNAVAILABLE", nodeId: "load", message: expect.stringMatching(reason) })]);
    expect(await sqlRows(adminUrl, "SELECT 1 FROM pg_roles WHERE rolname = $1", [warehouseNames(t.database.name).role])).toEqual([]);
    expect(t.logs.join("\n")).toMatch(/built-in warehouse is turned off: .*may not create roles and databases/);
  });
});
