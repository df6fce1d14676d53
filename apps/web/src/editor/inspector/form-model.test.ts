import { describe, expect, it } from "vitest";
import { getNodeDefinition, nodeCatalog } from "@sluice/pipeline";
import { fieldOf, fieldsOf, formOf, humanize, initialValue, parseScalar, withField, type FieldSpec } from "./form-model.ts";

const field = (spec: FieldSpec, key: string) => {
  if (spec.kind !== "object") throw new Error("not an object");
  return spec.fields.find((f) => f.key === key)!.spec;
};

describe("config forms from node schemas", () => {
  it("builds a form for every node type, and its initial value passes the node's schema", () => {
    for (const def of nodeCatalog) {
      const spec = formOf(def);
      expect(spec.kind, def.type).toBe("object");
      expect(def.configSchema.safeParse(initialValue(spec)).success, def.type).toBe(true);
    }
  });
  it("turns column hints into pickers, per port", () => {
    const join = formOf(getNodeDefinition("join")!);
    const keys = field(join, "keys");
    expect(keys).toMatchObject({ kind: "list", item: { kind: "object" } });
    if (keys.kind !== "list") throw new Error();
    expect(field(keys.item, "left")).toEqual({ kind: "column", port: "left" });
    expect(field(keys.item, "right")).toEqual({ kind: "column", port: "right" });
    expect(field(formOf(getNodeDefinition("group")!), "keys")).toEqual({ kind: "columns", port: "in" });
    expect(field(formOf(getNodeDefinition("file")!), "fileId")).toEqual({ kind: "file" });
    expect(field(formOf(getNodeDefinition("postgres-sink")!), "connectionId")).toEqual({ kind: "connection", connectionKind: "postgres" });
    expect(field(formOf(getNodeDefinition("http")!), "credentialId")).toEqual({ kind: "connection", connectionKind: "http" });
  });
  it("offers a file source's name pattern, new files only and the _source_file column, each with its hint", () => {
    const file = formOf(getNodeDefinition("file")!);
    expect(["pattern", "onlyNew", "sourceFileColumn"].map((k) => [fieldOf(file, k)?.label, fieldOf(file, k)?.spec.kind])).toEqual([
      ["Or every file named like", "text"],
      ["New files only", "boolean"],
      ["Add a _source_file column", "boolean"],
    ]);
    expect(fieldOf(file, "pattern")?.hint).toMatch(/orders-\*\.csv/);
  });

  it("offers variants for tagged unions, with fields per variant", () => {
    const clean = formOf(getNodeDefinition("clean")!);
    const columns = field(clean, "columns");
    if (columns.kind !== "list") throw new Error();
    const ops = field(columns.item, "operations");
    if (ops.kind !== "list" || ops.item.kind !== "variants") throw new Error(JSON.stringify(ops));
    expect(ops.item.discriminator).toBe("op");
    expect(ops.item.variants.map((v) => v.value)).toContain("null_if");
    expect(initialValue(ops.item)).toEqual({ op: "trim" });
  });
  it("reads enums with null as nullable selects, and typed scalars", () => {
    expect(field(formOf(getNodeDefinition("retype")!), "thousandsSeparator")).toMatchObject({ kind: "enum", nullable: true });
    expect([parseScalar("12"), parseScalar("-1.5"), parseScalar("true"), parseScalar("null"), parseScalar("C001"), parseScalar("")]).toEqual([12, -1.5, true, null, "C001", ""]);
    expect(humanize("thousandsSeparator")).toBe("Thousands separator");
    expect(humanize("as")).toBe("Output name");
  });
  it("leaves out an optional field that is cleared, so it means its default instead of failing validation", () => {
    const group = formOf(getNodeDefinition("group")!);
    const aggregations = field(group, "aggregations");
    if (aggregations.kind !== "list") throw new Error();
    const as = fieldOf(aggregations.item, "as")!;
    const column = fieldOf(aggregations.item, "column")!;
    const separator = fieldOf(aggregations.item, "separator")!;
    const a = { fn: "sum", column: "amount", as: "revenue", separator: ", " };
    expect(withField(a, as, "")).toEqual({ fn: "sum", column: "amount", separator: ", " });
    expect(withField(a, column, "")).toEqual({ fn: "sum", as: "revenue", separator: ", " });
    // A field with a default keeps what was typed, even "" (an empty separator is a real choice).
    expect(withField(a, separator, "")).toEqual({ ...a, separator: "" });
    expect(a.as).toBe("revenue");
    // "None" for an HTTP source's credential leaves it out; a database node's connection stays "" (not chosen yet).
    const http = formOf(getNodeDefinition("http")!);
    expect(withField({ url: "u", credentialId: "c1" }, fieldOf(http, "credentialId")!, "")).toEqual({ url: "u" });
    expect(withField({ connectionId: "c1" }, fieldOf(formOf(getNodeDefinition("postgres-sink")!), "connectionId")!, "")).toEqual({ connectionId: "" });
    // A CSV quote may be "" (quoting off): cleared, it is kept, not removed (which would mean "detected").
    const csv = fieldOf(formOf(getNodeDefinition("file")!), "csv")!;
    const quote = fieldOf(csv.spec, "quote")!;
    expect(withField({ delimiter: ";" }, quote, "")).toEqual({ delimiter: ";", quote: "" });
    expect(withField({ quote: "'" }, quote, undefined)).toEqual({});
  });
  it("draws a union of strings (a pattern, or empty while unset) as one text field", () => {
    expect(field(formOf(getNodeDefinition("file-sink")!), "name")).toEqual({ kind: "text", multiline: false });
  });
  it("carries schema descriptions as hints under fields", () => {
    const retype = formOf(getNodeDefinition("retype")!);
    expect(fieldOf(retype, "onError")?.hint).toMatch(/reject: the row goes to "rows that failed"/);
    expect(fieldOf(retype, "columns")?.hint).toBeUndefined();
  });
  it("splits an object form for dedicated editors", () => {
    const retype = formOf(getNodeDefinition("retype")!);
    expect(fieldsOf(retype, (k) => k !== "columns").fields.map((f) => f.key)).toEqual(["onError", "thousandsSeparator", "decimalSeparator", "timeZone", "booleanWords"]);
  });
});
