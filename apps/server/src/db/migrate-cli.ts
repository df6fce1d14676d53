import { loadConfig } from "../config.ts";
import { openDatabase } from "./database.ts";
import { migrate, migrationsDir } from "./migrator.ts";

/** `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database). */
const config = loadConfig();
const db = await openDatabase(config, console.log);
try {
  const { applied } = await migrate(db.url, migrationsDir, console.log);
  console.log(applied.length ? `applied ${applied.length} migration(s)` : "database is up to date");
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
} finally {
  await db.close();
}
