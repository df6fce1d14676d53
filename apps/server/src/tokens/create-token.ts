import { parseArgs } from "node:util";
import { loadConfig } from "../config.ts";
import { openDatabase } from "../db/database.ts";
import { migrate, migrationsDir } from "../db/migrator.ts";
import { createPrisma } from "../db/prisma.ts";
import { roleSchema, type Role } from "@sluice/model";
import { tokenRepository } from "./token.repository.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";
import { recordAudit, systemActor } from "../audit/audit.repository.ts";

const USAGE = "usage: npm run token:create -- [--name NAME] [--role owner|editor|runner|viewer]   (an API token of the Default workspace, runner unless said; printed once, keep it somewhere safe)";

/**
 * `npm run token:create`: makes an API token of the Default workspace straight in Sluice's database, for automation
 * on an install where nobody has signed in yet. Whoever can run this can read DATABASE_URL or DATA_DIR,
 * so it proves as much as a token does. Prints the token alone on stdout, so `$(npm run -s token:create)` works.
 */
export async function createTokenCommand(argv: string[], env: NodeJS.ProcessEnv, out: { log(l: string): void; error(l: string): void }): Promise<number> {
  let name: string;
  let role: Role;
  try {
    const { values } = parseArgs({ args: argv, options: { name: { type: "string", default: "admin" }, role: { type: "string", default: "runner" }, help: { type: "boolean", short: "h" } }, strict: true });
    if (values.help) {
      out.error(USAGE);
      return 0;
    }
    name = values.name.trim();
    if (name === "" || name.length > 100) throw new Error("--name must be 1 to 100 characters");
    const parsedRole = roleSchema.safeParse(values.role);
    if (!parsedRole.success) throw new Error(`--role must be one of ${roleSchema.options.join(", ")}`);
    role = parsedRole.data;
  } catch (e) {
    out.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig(env);
  const database = await openDatabase(config, out.error);
  const db = createPrisma(database.url);
  try {
    await migrate(database.url, migrationsDir, () => undefined);
    const created = await tokenRepository(db).create(db, { workspaceId: DEFAULT_WORKSPACE_ID, name, role, createdBy: null });
    await recordAudit(db, systemActor(DEFAULT_WORKSPACE_ID, "npm run token:create"), { action: "token.created", resourceType: "token", resourceId: created.id, resourceLabel: created.name, details: { role, prefix: created.prefix } });
    out.error(`created API token "${created.name}" (${created.prefix}…), role ${role} in the Default workspace; it is shown this once. Send it as: Authorization: Bearer <token>`);
    out.log(created.token);
    return 0;
  } finally {
    await db.$disconnect();
    await database.close();
  }
}
