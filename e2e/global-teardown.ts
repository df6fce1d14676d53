import { cleanUpRun } from "./e2e-database.ts";

/** Drops the database and data directory playwright.config.ts made for this run. */
export default async function globalTeardown() {
  await cleanUpRun();
}
