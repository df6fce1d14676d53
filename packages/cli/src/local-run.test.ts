import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT, main } from "./main.ts";
import { runLocal } from "./local-run.ts";

// Real files in a temporary folder, run by the real command on a real embedded DuckDB.
let dir: string;
const at = (...p: string[]) => path.join(dir, ...p);

const node = (id: string, type: string, config: Record<string, unknown>, label?: string) => ({ id, type, position: { x: 0, y: 0 }, config, ...(label ? { label } : {}) });
const edge = (id: string, source: string, target: string) => ({ id, source, target });
const bigOrders = (amountColumn = "amount") => ({
  name: "Big orders",
  description: "",
  graph: {
    formatVersion: 1,
    nodes: [
      node("src", "file", { fileId: "orders" }, "Orders"),
      node("big", "filter", { condition: { kind: "group", op: "and", conditions: [{ kind: "rule", column: amountColumn, operator: ">", value: 10 }] } }, "Big ones"),
      node("out", "file-sink", { name: "big-orders", format: "csv" }),
    ],
    edges: [edge("e1", "src", "big"), edge("e2", "big", "out")],
  },
});

function write(name: string, json: unknown): string {
  writeFileSync(at(name), JSON.stringify(json));
  return at(name);
}

async function sluice(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(args, { log: (l) => stdout.push(l), error: (l) => stderr.push(l) });
  return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "sluice-local-test-"));
  writeFileSync(at("orders.csv"), 'id,name,amount\n1,Ann,5\n2,Bob,20\n3,"Cy, Jr.",30.5\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("sluice run --local", () => {
  it("runs a file source, a filter and a file output on embedded DuckDB, writing into --out", async () => {
    const file = write("big.json", bigOrders());
    const r = await sluice("run", "--local", file, "--input", `orders=${at("orders.csv")}`, "--out", at("out-1"));
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(readFileSync(at("out-1", "big-orders.csv"), "utf8")).toBe('id,name,amount\n2,Bob,20.0\n3,"Cy, Jr.",30.5\n');
    expect(r.stdout).toMatch(/Orders \(src\): succeeded, 3 rows out, \d+\.\d s/);
    expect(r.stdout).toMatch(/Big ones \(big\): succeeded, (2 rows out|rows not counted \(streamed\))/);
    expect(r.stdout).toMatch(/File output \(out\): succeeded, 2 rows written/);
    expect(r.stdout).toMatch(/run succeeded in \d+\.\d s: 3 rows read, 2 rows written/);
    expect(r.stdout).toContain(`wrote ${path.join(at("out-1"), "big-orders.csv")}`);
  });

  it("names the node and the flag to pass when a file source's file is not mapped, and runs nothing", async () => {
    const file = write("unmapped.json", bigOrders());
    const r = await sluice("run", "--local", file, "--out", at("out-2"));
    expect(r.code).toBe(EXIT.problems);
    expect(r.stderr).toContain(`${file}: error INPUT_NOT_MAPPED [src.fileId]: File source "Orders" (src) reads file "orders", which no --input names; pass --input orders=path/to/file.`);
    // The validator's own "file does not exist" would only repeat it.
    expect(r.stderr).not.toContain("FILE_NOT_FOUND");
    expect(existsSync(at("out-2"))).toBe(false);
  });

  it("lists every problem of an invalid graph, with node and field, and exits 1", async () => {
    const invalid = bigOrders("amout");
    // A second, independent problem: an unnamed output straight from the source.
    invalid.graph.nodes.push(node("all", "file-sink", { name: "", format: "csv" }));
    invalid.graph.edges.push(edge("e3", "src", "all"));
    const file = write("invalid.json", invalid);
    const input = `orders=${at("orders.csv")}`;
    for (const command of ["run", "validate"]) {
      const r = await sluice(command, "--local", file, "--input", input, "--out", at("out-3"));
      expect(r.code, command).toBe(EXIT.problems);
      if (command === "run") expect(r.stderr).toContain(`${file}: not run, 2 problems to fix first.`);
      expect(r.stderr).toContain(`${file}: error UNKNOWN_COLUMN [big.condition.conditions.0.column]: Column "amout" does not exist`);
      expect(r.stderr).toContain(`${file}: error OUTPUT_NAME_REQUIRED [all.name]: Name the output file.`);
    }
    expect(existsSync(at("out-3"))).toBe(false);
  });

  it("validates several files against the same inputs", async () => {
    const good = write("good.json", bigOrders());
    const bad = write("bad.json", bigOrders("amout"));
    const r = await sluice("validate", "--local", good, bad, "--input", `orders=${at("orders.csv")}`);
    expect(r.code).toBe(EXIT.problems);
    expect(r.stdout).toContain(`${good}: valid`);
    expect(r.stderr).toContain(`${bad}: error UNKNOWN_COLUMN`);
    expect((await sluice("validate", "--local", good, "--input", `orders=${at("orders.csv")}`)).code).toBe(EXIT.ok);
  });

  it("exits 3 when the run fails on the data, naming the node", async () => {
    writeFileSync(at("amounts.csv"), "id,amount\n1,5\n2,not a number\n");
    const file = write("retype.json", {
      name: "Typed",
      description: "",
      graph: {
        formatVersion: 1,
        nodes: [
          node("src", "file", { fileId: "amounts" }),
          node("typed", "retype", { columns: [{ column: "amount", to: "integer" }], onError: "fail" }, "Amounts as numbers"),
          node("out", "file-sink", { name: "typed", format: "csv" }),
        ],
        edges: [edge("e1", "src", "typed"), { id: "e2", source: "typed", sourcePort: "out", target: "out" }],
      },
    });
    const r = await sluice("run", "--local", file, "--input", `amounts=${at("amounts.csv")}`, "--out", at("out-4"));
    expect(r.code, r.stdout).toBe(EXIT.runFailed);
    expect(r.stderr).toMatch(/run failed after \d+\.\d s: [A-Z_]+: Amounts as numbers \(typed\): /);
    expect(existsSync(at("out-4", "typed.csv"))).toBe(false);
  });

  it("says an input file cannot be read, naming the flag", async () => {
    writeFileSync(at("empty.csv"), "");
    const file = write("empty-input.json", bigOrders());
    const empty = await sluice("run", "--local", file, "--input", `orders=${at("empty.csv")}`, "--out", at("out-5"));
    expect(empty.code).toBe(EXIT.problems);
    expect(empty.stderr).toContain(`error FILE_EMPTY [src.fileId]: --input orders=${at("empty.csv")}: "empty.csv" is empty.`);
    const missing = await sluice("validate", "--local", file, "--input", `orders=${at("nowhere.csv")}`);
    expect(missing.code).toBe(EXIT.problems);
    expect(missing.stderr).toContain(`error FILE_UNREADABLE [src.fileId]: --input orders=${at("nowhere.csv")}: there is no such file.`);
  });

  it("refuses database nodes up front: connections live on a server", async () => {
    const file = write("postgres.json", {
      name: "To the warehouse",
      description: "",
      graph: {
        formatVersion: 1,
        nodes: [node("src", "file", { fileId: "orders" }), node("db", "postgres-sink", { connectionId: "3f1c0b7e-0000-4000-8000-000000000000", table: "orders" })],
        edges: [edge("e1", "src", "db")],
      },
    });
    const r = await sluice("run", "--local", file, "--input", `orders=${at("orders.csv")}`);
    expect(r.code).toBe(EXIT.problems);
    expect(r.stderr).toContain("error NEEDS_SERVER [db]:");
    expect(r.stderr).toContain("run this pipeline against a server (without --local)");
  });

  it("treats misused flags as usage errors", async () => {
    const file = write("usage.json", bigOrders());
    expect((await sluice("run", file, "--input", "orders=x.csv")).stderr).toContain("add --local");
    expect((await sluice("run", "--local", file, "--input", "orders")).code).toBe(EXIT.usage);
    expect((await sluice("run", "--local", file, "--input", "orders=a.csv", "--input", "orders=b.csv")).stderr).toContain('maps "orders" twice');
    expect((await sluice("run", "--local")).code).toBe(EXIT.usage);
    expect((await sluice("export", "--local")).code).toBe(EXIT.usage);
    expect((await sluice("validate", "--local", "--offline", file)).code).toBe(EXIT.usage);
  });

  it("a cancelled run exits 3 and writes nothing", async () => {
    const file = write("cancel.json", bigOrders());
    const lines: string[] = [];
    const code = await runLocal(
      file,
      { inputs: [`orders=${at("orders.csv")}`], outDir: at("out-6"), signal: AbortSignal.abort() },
      { log: (l) => lines.push(l), error: (l) => lines.push(l) },
    );
    expect(code).toBe(EXIT.runFailed);
    expect(lines.join("\n")).toContain("run cancelled");
    expect(existsSync(at("out-6", "big-orders.csv"))).toBe(false);
  });

  it("works end to end through the real sluice command, writing to ./sluice-output by default", async () => {
    write("bin.json", bigOrders());
    const bin = path.resolve(import.meta.dirname, "../bin/sluice.mjs");
    const r = await promisify(execFile)(process.execPath, [bin, "run", "--local", "bin.json", "--input", "orders=orders.csv"], { cwd: dir });
    expect(r.stdout).toContain("run succeeded");
    expect(r.stdout).toContain(`wrote ${path.join("sluice-output", "big-orders.csv")}`);
    expect(readFileSync(at("sluice-output", "big-orders.csv"), "utf8")).toBe('id,name,amount\n2,Bob,20.0\n3,"Cy, Jr.",30.5\n');
  });

  it("takes --param values, and a failing quality rule exits 3 with the rule's result, writing nothing", async () => {
    const checked = {
      name: "Checked",
      description: "",
      graph: {
        formatVersion: 1,
        parameters: [{ name: "max_amount", type: "double", default: 100 }],
        nodes: [
          node("src", "file", { fileId: "orders" }, "Orders"),
          node("qa", "check", { rules: [{ kind: "expression", expression: "amount <= param('max_amount')", name: "amount within limit" }] }, "Checks"),
          node("out", "file-sink", { name: "checked", format: "csv" }),
        ],
        edges: [{ id: "e1", source: "src", target: "qa", targetPort: "in" }, edge("e2", "qa", "out")],
      },
    };
    const file = write("checked.json", checked);
    const input = `orders=${at("orders.csv")}`;
    const passed = await sluice("run", "--local", file, "--input", input, "--out", at("out-q1"));
    expect(passed.code, passed.stderr).toBe(EXIT.ok);
    expect(passed.stdout).toContain('Checks (qa): passed "amount within limit": all 3 rows pass');

    const failed = await sluice("run", "--local", file, "--input", input, "--param", "max_amount=25", "--out", at("out-q2"));
    expect(failed.code).toBe(EXIT.runFailed);
    expect(failed.stderr).toContain('Checks (qa): FAILED "amount within limit": 1 of 3 rows fail');
    expect(existsSync(at("out-q2", "checked.csv"))).toBe(false);

    const bad = await sluice("validate", "--local", file, "--input", input, "--param", "max_amount=lots");
    expect(bad.code).toBe(EXIT.problems);
    expect(bad.stderr).toContain('PARAMETER_INVALID [params.max_amount]: Parameter "max_amount": "lots" is not a number (digits, an optional point and exponent, e.g. 12.5 or 1e6).');
    expect((await sluice("run", "--local", file, "--param", "max_amount")).code).toBe(EXIT.usage);
  });

  it("prints a failed warning rule once, and counts one row as a row", async () => {
    writeFileSync(at("one.csv"), "id,name,amount\n1,Ann,50\n");
    const file = write("warned.json", {
      name: "Warned",
      description: "",
      graph: {
        formatVersion: 1,
        nodes: [
          node("src", "file", { fileId: "orders" }, "Orders"),
          node("qa", "check", { rules: [{ kind: "row_count", min: 5, severity: "warn" }] }, "Checks"),
          node("out", "file-sink", { name: "warned", format: "csv" }),
        ],
        edges: [{ id: "e1", source: "src", target: "qa", targetPort: "in" }, edge("e2", "qa", "out")],
      },
    });
    const r = await sluice("run", "--local", file, "--input", `orders=${at("one.csv")}`, "--out", at("out-w"));
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const all = `${r.stdout}\n${r.stderr}`;
    expect(all.split('"at least 5 rows"')).toHaveLength(2);
    expect(r.stdout).toContain('  Checks (qa): warning "at least 5 rows": ');
    expect(r.stdout).toMatch(/run succeeded in \d+\.\d s: 1 row read, 1 row written/);
  });
});
