import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { createPrisma } from "../db/prisma.ts";
import { tokenRepository } from "./token.repository.ts";
import { createTokenCommand } from "./create-token.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";

describe("npm run token:create", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
  }, 60_000);
  afterAll(async () => database?.drop());

  const run = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await createTokenCommand(argv, { DATABASE_URL: database.url, HOST: "0.0.0.0" }, { log: (l) => out.push(l), error: (l) => err.push(l) });
    return { code, out, err };
  };

  const verify = async (token: string) => {
    const db = createPrisma(database.url);
    try {
      return await tokenRepository(db).verify(token);
    } finally {
      await db.$disconnect();
    }
  };

  it("creates a live runner token of the Default workspace without the API, printing only the token on stdout", async () => {
    const r = await run(["--name", "first admin"]);
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    expect(r.out[0]).toMatch(/^slc_[A-Za-z0-9_-]{40,}$/);
    expect(r.err.join("\n")).toContain('"first admin"');
    const t = await verify(r.out[0]!);
    expect(t?.info.name).toBe("first admin");
    expect(t?.role).toBe("runner");
    expect(t?.workspaceId).toBe(DEFAULT_WORKSPACE_ID);
  });

  it("gives the token the role asked for, and refuses a role that does not exist", async () => {
    const r = await run(["--name", "provisioner", "--role", "owner"]);
    expect(r.code).toBe(0);
    expect((await verify(r.out[0]!))?.role).toBe("owner");
    const bad = await run(["--role", "admin"]);
    expect(bad.code).toBe(2);
    expect(bad.err.join("\n")).toContain("--role must be one of owner, editor, runner, viewer");
    expect(bad.out).toEqual([]);
  });

  it("refuses an empty name and unknown flags with usage", async () => {
    expect((await run(["--name", " "])).code).toBe(2);
    const unknown = await run(["--nmae", "x"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err.join("\n")).toContain("usage: npm run token:create");
    expect(unknown.out).toEqual([]);
  });
});
