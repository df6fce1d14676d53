import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { deepJson, deepParquet } from "@sluice/engine/testing";
import { storedFileCheck } from "./stored-file-check.ts";

const dir = mkdtempSync(path.join(tmpdir(), "sluice-stored-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => path.join(dir, name);

describe("storedFileCheck", () => {
  it("marks JSON and Parquet nested past the limit, and passes the rest", async () => {
    const check = storedFileCheck();
    writeFileSync(at("deep.json"), deepJson(20_000));
    writeFileSync(at("deep.parquet"), deepParquet(1000));
    writeFileSync(at("fine.ndjson"), '{"a":[1]}\n');
    expect(await check({ name: "deep.json", path: at("deep.json"), format: "json" })).toEqual({ code: "FILE_TOO_DEEPLY_NESTED", message: expect.stringMatching(/^Line 1 of "deep.json"/) });
    expect(await check({ name: "deep.parquet", path: at("deep.parquet"), format: "parquet" })).toMatchObject({ code: "FILE_TOO_DEEPLY_NESTED" });
    expect(await check({ name: "fine.ndjson", path: at("fine.ndjson"), format: "ndjson" })).toBeUndefined();
    // CSV cannot nest: not even opened.
    expect(await check({ name: "gone.csv", path: at("gone.csv"), format: "csv" })).toBeUndefined();
  });

  it("keeps an answer (stored files never change) but asks again about a file it could not open", async () => {
    const check = storedFileCheck();
    const file = { name: "later.json", path: at("later.json"), format: "json" as const };
    expect(await check(file)).toBeUndefined(); // not there yet: the read will say so
    writeFileSync(file.path, deepJson(100));
    expect(await check(file)).toMatchObject({ code: "FILE_TOO_DEEPLY_NESTED" });
    writeFileSync(file.path, "[1]"); // never happens to a stored file; shows the answer is kept
    expect(await check(file)).toMatchObject({ code: "FILE_TOO_DEEPLY_NESTED" });
  });
});
