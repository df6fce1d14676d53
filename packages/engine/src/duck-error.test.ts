import { describe, expect, it } from "vitest";
import { DuckQueryError, describeDuckError, duckDetail } from "./duck-error.ts";

const json = (type: string, message: string) => new Error(JSON.stringify({ exception_type: type, exception_message: message, position: "7" }));

describe("describeDuckError", () => {
  it.each([
    ["interrupt", json("INTERRUPT", "Interrupted!"), "QUERY_INTERRUPTED", "The query was stopped."],
    ["conversion", json("Conversion", "Could not convert string 'abc' to INT64"), "CONVERSION_FAILED", "A value could not be converted: Could not convert string 'abc' to a whole number (bigint)"],
    ["out of range", json("Out of Range", "Overflow in addition of INT32 (2147483647 + 1)!"), "VALUE_OUT_OF_RANGE", "A value is out of range: Overflow in addition of a whole number (integer) (2147483647 + 1)!"],
    ["file access", json("Permission", 'Cannot access file "/etc/passwd" - file system operations are disabled by configuration'), "ACCESS_DENIED", 'Sluice may not read or write "/etc/passwd": only uploaded files, the run\'s work folder and outputs are reachable.'],
    ["extension", json("Permission", "Loading external extensions is disabled through configuration"), "ACCESS_DENIED", "DuckDB extensions cannot be installed or loaded in Sluice."],
    ["locked settings", json("Invalid Input", 'Cannot change configuration option "threads" - the configuration has been locked'), "ACCESS_DENIED", "DuckDB's settings are locked while Sluice runs a pipeline."],
    ["disk full", json("IO", "Could not write file: No space left on device"), "DISK_FULL", "The disk holding Sluice's data (or its spill folder) is full; free some space and try again."],
    ["binder", json("Binder", 'Referenced column "nope" not found in FROM clause!\nCandidate bindings: "a"\n\nLINE 1: SELECT nope'), "QUERY_FAILED", 'Referenced column "nope" not found in FROM clause!; Candidate bindings: "a"'],
    ["parser", new Error('Parser Error: {"exception_type":"Parser","exception_message":"syntax error at or near \\"SELEC\\""}'), "QUERY_FAILED", 'syntax error at or near "SELEC"'],
    ["constraint", new Error("Constraint Error: Duplicate key \"id: 1\" violates primary key constraint.\nLINE 1: ..."), "CONSTRAINT_VIOLATED", 'Duplicate key "id: 1" violates primary key constraint.'],
    ["unknown", new Error("something odd"), "QUERY_FAILED", "something odd"],
  ])("translates a %s error", (_what, e, code, message) => {
    expect(describeDuckError(e)).toEqual({ code, message });
  });

  it("says how much memory there was, and drops DuckDB's hints for its own users", () => {
    const oom = describeDuckError(json("Out of Memory", "failed to allocate data of size 64.0 MiB (953.6 MiB/953.6 MiB used)\n\nPossible solutions:\n* SET memory_limit"), { memoryLimit: "1GB" });
    expect(oom.code).toBe("OUT_OF_MEMORY");
    expect(oom.message).toContain("(limit 1GB)");
    expect(oom.message).not.toContain("SET memory_limit");
    const csv = describeDuckError(json("Invalid Input", "CSV Error on Line: 3\nExpected Number of Columns: 2 Found: 3\nPossible fixes:\n* Enable ignore errors"));
    expect(csv).toEqual({ code: "INVALID_INPUT", message: "CSV Error on Line: 3; Expected Number of Columns: 2 Found: 3" });
  });

  it("names a file by its name, never by the server's path, and drops DuckDB's reader options", () => {
    // A run of a JSON file source answered: JSON transform error in file "/var/lib/sluice/outputs/<run>/.nodes/files/<id>.json", …
    const run = describeDuckError(
      json(
        "Invalid Input",
        `JSON transform error in file "/var/lib/sluice/outputs/r1/.nodes/files/f1.json", in record/value 1: Failed to cast value to numerical: "x"; Try setting 'auto_detect' to true, specifying 'format' or 'records' manually, or setting 'ignore_errors' to true.`,
      ),
    );
    expect(run).toEqual({ code: "INVALID_INPUT", message: 'JSON transform error in file "f1.json", in record/value 1: Failed to cast value to numerical: "x"' });
    expect(describeDuckError(json("IO", "No magic bytes found at end of file '/data/files/abc.parquet'")).message).toBe("No magic bytes found at end of file 'abc.parquet'");
    // Values that look like paths are not files: they stay as they are.
    expect(describeDuckError(json("Conversion", 'Could not convert string "/a/b" to INT64')).message).toBe('A value could not be converted: Could not convert string "/a/b" to a whole number (bigint)');
  });

  it("keeps DuckDB's whole message, every line, apart from the readable one", () => {
    const raw = json("Invalid Input", "CSV Error on Line: 4\nOriginal Line: 5,\"open\n\nValue with unterminated quote found.\n\nPossible fixes:");
    expect(duckDetail(raw)).toBe("CSV Error on Line: 4\nOriginal Line: 5,\"open\n\nValue with unterminated quote found.\n\nPossible fixes:");
    expect(duckDetail(new DuckQueryError("INVALID_INPUT", "short", "whole"))).toBe("whole");
    expect(duckDetail(new DuckQueryError("DISK_FULL", "full"))).toBe("full");
  });

  it("passes its own errors through and caps very long messages", () => {
    expect(describeDuckError(new DuckQueryError("DISK_FULL", "full"))).toEqual({ code: "DISK_FULL", message: "full" });
    expect(describeDuckError(json("Conversion", "x".repeat(5000))).message.length).toBeLessThanOrEqual(1000);
  });
});
