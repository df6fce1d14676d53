import type { Db } from "../db/prisma.ts";

/** Filled in once the node catalog has file sources and sinks. */
export async function seedDemo(_db: Db, _dataDir: string, _log: (m: string) => void) {}
