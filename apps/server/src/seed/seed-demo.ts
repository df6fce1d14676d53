import { randomUUID } from "node:crypto";
import { copyFile, stat } from "node:fs/promises";
import path from "node:path";
import { inspectFile } from "@sluice/engine";
import type { Db } from "../db/prisma.ts";
import type { Deps } from "../http/deps.ts";
import { appSettingRepository } from "./app-setting.repository.ts";
import { BUILT_IN_CONNECTION_ID } from "../connections/connection.repository.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";
import { demoGraph } from "./demo-graph.ts";

export const DEMO_DIR = path.resolve(import.meta.dirname, "../../demo");
const SEEDED_KEY = "demo_seeded";

async function addDemoFile(deps: Deps, name: string) {
  const storageKey = `${randomUUID()}.csv`;
  const target = deps.files.pathOf(storageKey);
  await copyFile(path.join(DEMO_DIR, name), target);
  const inspected = await inspectFile(target, { name });
  if (!inspected.ok) throw new Error(`demo file ${name} cannot be read: ${inspected.issues[0]?.message}`);
  const { size } = await stat(target);
  // The demo belongs to the Default workspace, with the built-in warehouse it loads into.
  return deps.files.create(DEFAULT_WORKSPACE_ID, { name, size, storageKey, ...inspected.value });
}

/**
 * On first start: the demo orders and customers files and a pipeline that cleans, joins and totals them
 * into the built-in warehouse, so a new user sees something real. Runs once per database, even if the
 * user later deletes the demo.
 */
export async function seedDemo(db: Db, deps: Deps, log: (m: string) => void) {
  const settings = appSettingRepository(db);
  if (!(await settings.claim(SEEDED_KEY))) return;
  try {
    const orders = await addDemoFile(deps, "orders.csv");
    const customers = await addDemoFile(deps, "customers.csv");
    const p = await deps.pipelines.create(DEFAULT_WORKSPACE_ID, {
      name: "Demo: revenue by country",
      description: "Cleans messy demo orders (stray spaces, mixed case, two date formats, 'n/a' amounts, repeated orders), keeps amounts as exact decimals, joins customers and totals revenue by country into warehouse.revenue_by_country.",
      graph: demoGraph({ ordersFileId: orders.id, customersFileId: customers.id, connectionId: BUILT_IN_CONNECTION_ID }),
      message: "Demo pipeline",
    });
    log(`seeded the demo pipeline "${p.name}" and two demo files`);
  } catch (e) {
    await settings.release(SEEDED_KEY);
    throw e;
  }
}
