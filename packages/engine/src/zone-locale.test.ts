import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "./connectors/testing/test-context.ts";

const script = fileURLToPath(new URL("./testing/zone-locale-run.ts", import.meta.url));
const removers: (() => void)[] = [];
afterEach(() => {
  for (const remove of removers.splice(0)) remove();
});

/** Inspection, preview and run of one pipeline in a child process with this zone and locale; what it saw, as JSON. */
async function runIn(env: { TZ: string; LANG: string }): Promise<Record<string, unknown>> {
  const { dir, remove } = tempDir("zone-locale");
  removers.push(remove);
  for (const sub of ["files", "work", "outputs", "spill"]) mkdirSync(path.join(dir, sub));
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script, dir], {
    cwd: path.dirname(script),
    env: { ...process.env, ...env, LC_ALL: env.LANG },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe("results do not depend on the server's time zone or locale", () => {
  it("gives the same columns, preview rows, warnings and written files under TZ=America/New_York and LANG=de_DE as under UTC", async () => {
    const [utc, newYork] = await Promise.all([runIn({ TZ: "UTC", LANG: "C.UTF-8" }), runIn({ TZ: "America/New_York", LANG: "de_DE.UTF-8" })]);
    expect(utc.ok).toBe(true);
    expect(newYork).toEqual(utc);
    // And they are the right ones: naive values read in UTC, offsets kept, decimal commas read.
    const typed = (utc.outputs as Record<string, string>)["typed.csv"]!.split("\n").slice(0, 5);
    expect(typed).toEqual(["id,at,amount", "1,2024-06-01 12:00:00,", "2,2024-06-01 10:00:00,2001.1", "3,2024-01-15 08:30:00,3002.2", "4,2024-06-01 12:00:00,"]);
    const asRead = (utc.outputs as Record<string, string>)["as-read.csv"]!.split("\n").slice(1, 3);
    expect(asRead).toEqual(["1,2024-06-01 12:00:00,n/a", '2,2024-06-01 10:00:00,"2.001,1"']);
    expect(utc.logs).toContain("warn types 500 of 1,500 values of amount became null: they do not convert.");
  }, 120_000);
});
