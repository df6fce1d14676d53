import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSecretBox, loadSecretKey } from "./secret-box.ts";

describe("secret box", () => {
  it("round-trips and never stores the plain text", () => {
    const box = createSecretBox(randomBytes(32));
    const sealed = box.seal("pä$$wörd");
    expect(sealed).not.toContain("pä$$wörd");
    expect(box.seal("pä$$wörd")).not.toBe(sealed);
    expect(box.open(sealed)).toBe("pä$$wörd");
  });

  it("refuses a tampered secret or the wrong key", () => {
    const box = createSecretBox(randomBytes(32));
    const sealed = box.seal("secret");
    const parts = sealed.split(".");
    parts[3] = Buffer.from("tampered").toString("base64url");
    expect(() => box.open(parts.join("."))).toThrow(/cannot be decrypted/);
    expect(() => createSecretBox(randomBytes(32)).open(sealed)).toThrow(/SLUICE_SECRET_KEY/);
  });

  it("generates a key file once, private to its owner, and reuses it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sluice-key-"));
    try {
      const a = loadSecretKey(undefined, dir, () => {});
      const b = loadSecretKey(undefined, dir, () => {});
      expect(a.equals(b)).toBe(true);
      expect(statSync(path.join(dir, "secret.key")).mode & 0o077).toBe(0);
      expect(loadSecretKey("ab".repeat(32), dir, () => {}).toString("hex")).toBe("ab".repeat(32));
      expect(() => loadSecretKey("short", dir, () => {})).toThrow(/32 bytes/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
