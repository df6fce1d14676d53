import type { Db, Tx } from "../db/prisma.ts";

export interface UserRow {
  id: string;
  email: string;
  name: string;
  passwordHash: string | null;
}

/** Any two first-start requests wait for each other here, so exactly one creates the owner. */
const SETUP_LOCK = 0x51_1c_e0_01;

export function userRepository(db: Db) {
  return {
    count: () => db.user.count(),
    /** Owner setup's count: taken under the setup lock, held until `tx` ends, so a parallel setup waits and then sees this one's owner. */
    async countForSetup(tx: Tx): Promise<number> {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SETUP_LOCK})`;
      return tx.user.count();
    },
    byEmail: (email: string): Promise<UserRow | null> => db.user.findUnique({ where: { email: email.toLowerCase() } }),
    byId: (id: string): Promise<UserRow | null> => db.user.findUnique({ where: { id } }),
    async create(tx: Tx, u: { email: string; name: string; passwordHash: string | null }): Promise<UserRow> {
      return tx.user.create({ data: { email: u.email.toLowerCase(), name: u.name, passwordHash: u.passwordHash } });
    },
    async setPasswordHash(tx: Tx, id: string, passwordHash: string): Promise<void> {
      await tx.user.update({ where: { id }, data: { passwordHash } });
    },
    /** The account an SSO subject signed in to before, if any. */
    async byIdentity(provider: string, subject: string): Promise<UserRow | null> {
      const row = await db.userIdentity.findUnique({ where: { provider_subject: { provider, subject } }, include: { user: true } });
      return row?.user ?? null;
    },
    /** Whether the account has signed in through SSO before (any identity is linked to it). */
    async hasIdentity(tx: Tx, userId: string): Promise<boolean> {
      return (await tx.userIdentity.count({ where: { userId } })) > 0;
    },
    /**
     * Takes away every way into the account but SSO: no password, no session. For an account whose email an SSO
     * provider has just proven for the first time, since whoever made the account may not own that address.
     */
    async dropPasswordAndSessions(tx: Tx, userId: string): Promise<{ passwordCleared: boolean }> {
      const cleared = await tx.user.updateMany({ where: { id: userId, passwordHash: { not: null } }, data: { passwordHash: null } });
      await tx.session.deleteMany({ where: { userId } });
      return { passwordCleared: cleared.count > 0 };
    },
    async link(tx: Tx, userId: string, provider: string, subject: string): Promise<void> {
      await tx.userIdentity.upsert({ where: { provider_subject: { provider, subject } }, create: { provider, subject, userId }, update: {} });
    },
  };
}

export type UserRepository = ReturnType<typeof userRepository>;
