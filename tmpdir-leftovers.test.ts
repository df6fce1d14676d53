import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import setup from "./tmpdir-leftovers.global-setup.ts";

const exitCode = process.exitCode;
afterEach(() => {
  process.exitCode = exitCode;
});

it("fails the run, naming them, when tests leave files or folders in the temporary folder, and removes them", () => {
  const outer = tmpdir();
  const teardown = setup();
  const own = tmpdir();
  expect(path.dirname(own)).toBe(outer);
  mkdirSync(path.join(own, "sluice-test-data-x"));
  writeFileSync(path.join(own, "pg-password-y"), "");
  mkdirSync(path.join(own, "tsx-0")); // a tool's cache: not counted

  expect(teardown).toThrow(/left 2 entries .*: (pg-password-y, sluice-test-data-x|sluice-test-data-x, pg-password-y)$/);
  expect(process.exitCode).toBe(1);
  expect(tmpdir()).toBe(outer);
  expect(existsSync(own)).toBe(false);
});

it("passes when they leave only tool caches", () => {
  const teardown = setup();
  mkdirSync(path.join(tmpdir(), "playwright-transform-cache-0"));
  expect(teardown).not.toThrow();
  expect(process.exitCode).toBe(exitCode);
});
