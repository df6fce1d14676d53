import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * The one-time code owner setup takes on an install served beyond loopback (HOST=0.0.0.0, a PUBLIC_URL): without
 * it, whoever reaches a new install over the network first could claim the owner account, and with it everything
 * the Default workspace holds. It is printed in the server's log at start, which only the admin reads, and is
 * useless once an account exists. Each server process has its own; SLUICE_OWNER_EMAIL/PASSWORD need none.
 */
export interface SetupCode {
  /** The code, while one is required; null on loopback, or once an owner exists. */
  current(): string | null;
  /** Makes a code, when the install is served on a network and has no account yet; returns it to be logged. */
  issue(): string;
  matches(given: string | undefined): boolean;
  retire(): void;
}

// 12 characters from 31 that cannot be mistaken for each other (no 0/O, 1/I/L), in three groups of four, e.g. 7KQ2-M9XT-4HRW.
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

function newCode(): string {
  const bytes = randomBytes(12);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]!);
  return [chars.slice(0, 4), chars.slice(4, 8), chars.slice(8)].map((g) => g.join("")).join("-");
}

const digest = (s: string) => createHash("sha256").update(s.toUpperCase().replace(/[^0-9A-Z]/g, "")).digest();

export function setupCode(): SetupCode {
  let code: string | null = null;
  return {
    current: () => code,
    issue() {
      code = newCode();
      return code;
    },
    // Compared as digests of the same length, in constant time; typed in any case, with or without dashes.
    matches: (given) => code !== null && given !== undefined && timingSafeEqual(digest(code), digest(given)),
    retire() {
      code = null;
    },
  };
}
