import { hash, verify } from "@node-rs/argon2";

/**
 * Passwords are hashed with argon2id (memory-hard) by @node-rs/argon2, at its defaults, which are OWASP's
 * minimum (19 MiB, 2 passes); the PHC string keeps the parameters, so raising them later still verifies old hashes.
 */
export const hashPassword = (password: string): Promise<string> => hash(password);

// Checked when the account does not exist, so a refusal takes as long either way and does not tell whether
// the email has an account.
let decoy: Promise<string> | undefined;

export async function passwordMatches(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    decoy ??= hash("sluice decoy password, never anyone's");
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}
