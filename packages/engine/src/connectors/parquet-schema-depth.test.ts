import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { quoteLiteral } from "@sluice/pipeline";
import { MAX_NESTING, parquetNestingIssue } from "./nesting-limit.ts";
import { parquetSchemaDepth } from "./parquet-schema-depth.ts";
import { deepParquet } from "./testing/deep-files.ts";
import { tempDir } from "./testing/test-context.ts";
import { openTestDuck } from "./testing/test-duck.ts";

const tmp = tempDir("parquet-depth");
afterAll(() => tmp.remove());
const file = tmp.file;

describe("parquetSchemaDepth", () => {
  it("reads the group depth of files DuckDB writes, with their metadata, statistics and logical types", async () => {
    const { duck, close } = await openTestDuck();
    const cases: [string, string, number][] = [
      ["flat", "SELECT 1 AS a, 'x' AS b, DATE '2024-01-01' AS c, TIMESTAMPTZ '2024-01-01 00:00:00+00' AS d, 1.5::DECIMAL(9,2) AS e", 0],
      ["struct", "SELECT {'a': 1, 'b': {'c': 'x'}} AS s, 2 AS n", 2],
      ["list", "SELECT [1, 2] AS l", 2],
      ["list of structs", "SELECT [{'a': [1]}] AS l", 5],
      ["map", "SELECT MAP {'k': {'v': 1}} AS m", 3],
    ];
    try {
      for (const [name, select, depth] of cases) {
        const p = path.join(tmp.dir, `${name}.parquet`);
        await duck.run(`COPY (${select} FROM range(3)) TO ${quoteLiteral(p)} (FORMAT parquet, KV_METADATA {'note': 'x'})`);
        expect(await parquetSchemaDepth(p), name).toBe(depth);
      }
    } finally {
      close();
    }
  });

  it("counts the groups of a schema written by hand, 100,000 deep included", async () => {
    for (const depth of [0, 1, 3, 1000, 100_000]) expect(await parquetSchemaDepth(file(`deep-${depth}.parquet`, deepParquet(depth)))).toBe(depth);
  });

  it("gives up, rather than guess, on what is not a readable Parquet footer", async () => {
    expect(await parquetSchemaDepth(file("short.parquet", "PAR1"))).toBeUndefined();
    expect(await parquetSchemaDepth(file("text.parquet", "a,b\n1,2\n3,4\n"))).toBeUndefined();
    const good = deepParquet(3);
    const cut = Buffer.concat([good.subarray(0, 4), good.subarray(20)]); // footer length now points before the start
    expect(await parquetSchemaDepth(file("cut.parquet", cut))).toBeUndefined();
    const garbage = Buffer.from(good);
    garbage.fill(0xff, 4, good.length - 8);
    expect(await parquetSchemaDepth(file("garbage.parquet", garbage))).toBeUndefined();
  });
});

describe("parquetNestingIssue", () => {
  it("allows twice the limit in groups (a list is two) and refuses more, naming the file", async () => {
    expect(await parquetNestingIssue(file("at.parquet", deepParquet(2 * MAX_NESTING)), "at.parquet")).toBeUndefined();
    const over = await parquetNestingIssue(file("over.parquet", deepParquet(2 * MAX_NESTING + 1)), "over.parquet");
    expect(over).toMatchObject({ code: "FILE_TOO_DEEPLY_NESTED", field: "file", message: expect.stringMatching(/^"over.parquet" has columns that nest .* \(129 groups\)/) });
  });
});
