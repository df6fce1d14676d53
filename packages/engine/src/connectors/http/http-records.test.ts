import { describe, expect, it } from "vitest";
import { extractRecords, fieldText, flattenRecord, inferColumns, valueAt } from "./http-records.ts";

describe("http records", () => {
  it("finds values by dotted path, including array indexes", () => {
    const body = { data: { items: [{ a: 1 }], pages: [{ next: "x" }] } };
    expect(valueAt(body, "data.items")).toEqual({ found: true, value: [{ a: 1 }] });
    expect(valueAt(body, "data.pages.0.next")).toEqual({ found: true, value: "x" });
    expect(valueAt(body, "")).toEqual({ found: true, value: body });
    expect(valueAt(body, "data.itemz")).toEqual({ found: false, missing: "data.itemz", keys: ["items", "pages"] });
  });

  it("extracts arrays, single objects and null, and explains a wrong path", () => {
    expect(extractRecords({ d: [1, 2] }, "d")).toEqual({ ok: true, value: [1, 2] });
    expect(extractRecords({ d: { a: 1 } }, "d")).toEqual({ ok: true, value: [{ a: 1 }] });
    expect(extractRecords({ d: null }, "d")).toEqual({ ok: true, value: [] });
    const wrong = extractRecords({ data: { items: [] } }, "data.records");
    expect(!wrong.ok && wrong.issues[0]).toMatchObject({ code: "HTTP_RECORDS_NOT_FOUND", field: "recordsPath" });
    expect(!wrong.ok && wrong.issues[0]?.message).toBe('The response has nothing at "data.records". The keys there are: "items".');
    expect(extractRecords({ d: "text" }, "d").ok).toBe(false);
  });

  it("flattens one level, keeps deeper values whole, and separates names equal but for case", () => {
    expect(flattenRecord({ id: 1, user: { name: "x", address: { city: "y" } }, tags: ["a"], empty: {}, ID: 2 })).toEqual([
      ["id", 1],
      ["user.name", "x"],
      ["user.address", { city: "y" }],
      ["tags", ["a"]],
      ["empty", {}],
      ["ID_1", 2],
    ]);
    expect(flattenRecord(42)).toEqual([["value", 42]]);
  });

  it("infers types across a sample", () => {
    expect(
      inferColumns([
        { i: 1, big: 1, d: 1, b: true, s: "x", n: null, j: [1], mixed: 1, ob: 1, 'a"b': "q" },
        { i: -5, big: 2 ** 40, d: 1.5, b: false, s: "y", n: null, j: { k: 1 }, mixed: "x", ob: { k: 1 } },
      ]),
    ).toEqual([
      { name: "i", type: "integer" },
      { name: "big", type: "bigint" },
      { name: "d", type: "double" },
      { name: "b", type: "boolean" },
      { name: "s", type: "string" },
      { name: "n", type: "string" },
      { name: "j", type: "json" },
      { name: "mixed", type: "string" },
      { name: "ob", type: "integer" },
      { name: 'a"b', type: "string" },
      // An object where the first record had an array or a number is flattened all the same.
      { name: "j.k", type: "integer" },
      { name: "ob.k", type: "integer" },
    ]);
  });

  it("turns values into CSV text for their column, or says why they do not fit", () => {
    expect(fieldText(null, { name: "a", type: "integer" })).toEqual({ ok: true, text: null });
    expect(fieldText("12", { name: "a", type: "integer" })).toEqual({ ok: true, text: "12" });
    expect(fieldText(2 ** 33, { name: "a", type: "integer" }).ok).toBe(false);
    expect(fieldText(2 ** 33, { name: "a", type: "bigint" })).toEqual({ ok: true, text: "8589934592" });
    expect(fieldText("abc", { name: "a", type: "double" })).toEqual({ ok: false, reason: 'should be double but is "abc"' });
    expect(fieldText({ k: [1] }, { name: "a", type: "json" })).toEqual({ ok: true, text: '{"k":[1]}' });
    expect(fieldText("x", { name: "a", type: "json" })).toEqual({ ok: true, text: '"x"' });
    expect(fieldText(true, { name: "a", type: "string" })).toEqual({ ok: true, text: "true" });
    expect(fieldText(1, { name: "a", type: "boolean" }).ok).toBe(false);
  });
});
