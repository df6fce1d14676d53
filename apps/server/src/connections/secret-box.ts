import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** AES-256-GCM with a random 96-bit nonce per secret; stored as v1.<nonce>.<tag>.<ciphertext> in base64url. */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error("the secret key must be 32 bytes");
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return ["v1", iv, cipher.getAuthTag(), data].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
    },
    open(sealed) {
      const [version, iv, tag, data] = sealed.split(".");
      if (version !== "v1" || !iv || !tag || data === undefined) throw new Error("stored secret has an unknown format");
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      try {
        return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
      } catch {
        throw new Error("a stored secret cannot be decrypted: SLUICE_SECRET_KEY differs from the key it was saved with");
      }
    },
  };
}

/** SLUICE_SECRET_KEY (64 hex chars or 32 bytes base64) if set; else a key generated once into DATA_DIR. */
export function loadSecretKey(envValue: string | undefined, dataDir: string, log: (m: string) => void): Buffer {
  if (envValue) {
    const key = /^[0-9a-fA-F]{64}$/.test(envValue) ? Buffer.from(envValue, "hex") : Buffer.from(envValue, "base64");
    if (key.length !== 32) throw new Error("SLUICE_SECRET_KEY must be 32 bytes: 64 hex characters or 44 base64 characters");
    return key;
  }
  const file = path.join(dataDir, "secret.key");
  if (existsSync(file)) return Buffer.from(readFileSync(file, "utf8").trim(), "hex");
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString("hex"), { mode: 0o600, flag: "wx" });
  log(`generated a secret key for stored passwords in ${file}; back it up with your data`);
  return key;
}
