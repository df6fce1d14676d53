import { parseArgs } from "node:util";
import { loadConfig } from "../config.ts";
import { openDatabase } from "../db/database.ts";
import { migrate, migrationsDir } from "../db/migrator.ts";
import { createPrisma } from "../db/prisma.ts";
import { tokenRepository } from "./token.repository.ts";

const USAGE = "usage: npm run token:create -- [--name NAME]   (prints a new API token once; keep it somewhere safe)";

/**
 * `npm run token:create`: makes an API token straight in Sluice's database, for the first token when the API itself
 * requires one (REQUIRE_API_TOKENS, or served on a network). Whoever can run this can read DATABASE_URL or DATA_DIR,
 * so it proves as much as a token does. Prints the token alone on stdout, so `$(npm run -s token:create)` works.
 */
export async function createTokenCommand(argv: string[], env: NodeJS.ProcessEnv, out: { log(l: string): void; error(l: string): void }): Promise<number> {
  let name: string;
  try {
    const { values } = parseArgs({ args: argv, options: { name: { type: "string", default: "admin" }, help: { type: "boolean", short: "h" } }, strict: true });
    if (values.help) {
      out.error(USAGE);
      return 0;
    }
    name = values.name.trim();
    if (name === "" || name.length > 100) throw new Error("--name must be 1 to 100 characters");
  } catch (e) {
    out.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig(env);
  const database = await openDatabase(config, out.error);
  const db = createPrisma(database.url);
  try {
    await migrate(database.url, migrationsDir, () => undefined);
    const created = await tokenRepository(db).create(name);
    out.error(`created API token "${created.name}" (${created.prefix}…); it is shown this once. Send it as: Authorization: Bearer <token>`);
    out.log(created.token);
    return 0;
  } finally {
    await db.$disconnect();
    await database.close();
  }
}
