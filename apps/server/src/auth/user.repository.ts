import type { Db, Tx } from "../db/prisma.ts";

export interface UserRow {
  id: string;
  email: string;
  name: string;
  passwordHash: string | null;
}

export function userRepository(db: Db) {
  return {
    count: () => db.user.count(),
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
    async link(tx: Tx, userId: string, provider: string, subject: string): Promise<void> {
      await tx.userIdentity.upsert({ where: { provider_subject: { provider, subject } }, create: { provider, subject, userId }, update: {} });
    },
  };
}

export type UserRepository = ReturnType<typeof userRepository>;
