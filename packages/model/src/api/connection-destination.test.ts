import { describe, expect, it } from "vitest";
import { addedCredentialHosts, postgresDestinationChanges } from "./connection-destination.ts";
import type { PostgresSettings } from "./connections.schema.ts";

const saved: PostgresSettings = { host: "db.example.com", port: 5432, database: "sales", user: "etl", sslMode: "require" };

describe("where a stored secret goes", () => {
  it("changes with the host, port, user or a weaker SSL mode of a Postgres connection", () => {
    const cases: [Partial<PostgresSettings>, string[]][] = [
      [{ host: "evil.example.net" }, ["host"]],
      [{ port: 55433 }, ["port"]],
      [{ user: "postgres" }, ["user"]],
      [{ sslMode: "prefer" }, ["sslMode"]],
      [{ sslMode: "disable" }, ["sslMode"]],
      [{ host: "127.0.0.1", port: 1 }, ["host", "port"]],
    ];
    for (const [change, fields] of cases) expect(postgresDestinationChanges(saved, { ...saved, ...change }), JSON.stringify(change)).toEqual(fields);
  });

  it("stays with the database, a stronger SSL mode or the host's case", () => {
    for (const change of [{ database: "other" }, { sslMode: "verify-full" as const }, { host: "DB.Example.com" }, {}]) {
      expect(postgresDestinationChanges(saved, { ...saved, ...change }), JSON.stringify(change)).toEqual([]);
    }
  });

  it("widens with any host an HTTP credential did not have, not with fewer or the same in another case", () => {
    expect(addedCredentialHosts(["api.example.com"], ["127.0.0.2"])).toEqual(["127.0.0.2"]);
    expect(addedCredentialHosts(["api.example.com"], ["api.example.com", "eu.example.com"])).toEqual(["eu.example.com"]);
    expect(addedCredentialHosts([], ["api.example.com"])).toEqual(["api.example.com"]);
    expect(addedCredentialHosts(["a.example.com", "b.example.com"], ["A.example.com"])).toEqual([]);
  });
});
