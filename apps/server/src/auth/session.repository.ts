import { createHash, randomBytes } from "node:crypto";
import type { Db, Tx } from "../db/prisma.ts";

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

export interface SessionTimes {
  /** A session not used for this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in, however busy. */
  maxMs: number;
}

export interface SessionUser {
  sessionId: string;
  userId: string;
  email: string;
  name: string;
  method: string;
}

/** Writes last_seen_at at most this often, not on every request. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Browser sessions. The cookie holds 32 random bytes; the table keeps their SHA-256 (a session token is
 * high-entropy, so no slow hash is needed), so neither a dump nor a backup holds anything that signs anyone in.
 * Every sign-in makes a new session, so a session id planted before sign-in is never the one used after.
 */
export function sessionRepository(db: Db, times: SessionTimes) {
  return {
    times,
    async start(userId: string, meta: { method: "password" | "sso"; address: string | null; userAgent: string | null }) {
      const token = randomBytes(32).toString("base64url");
      const now = Date.now();
      const expiresAt = new Date(now + Math.min(times.idleMs, times.maxMs));
      const row = await db.session.create({
        data: { tokenHash: hash(token), userId, method: meta.method, address: meta.address, userAgent: meta.userAgent?.slice(0, 300) ?? null, expiresAt },
      });
      return { token, sessionId: row.id, expiresAt };
    },
    /** The live session the token belongs to; slides its idle expiry, never past the maximum. */
    async resolve(token: string): Promise<(SessionUser & { expiresAt: Date; slid: boolean }) | null> {
      const row = await db.session.findUnique({ where: { tokenHash: hash(token) }, include: { user: true } });
      const now = Date.now();
      if (!row) return null;
      if (row.expiresAt.getTime() <= now) {
        await db.session.deleteMany({ where: { id: row.id } });
        return null;
      }
      let expiresAt = row.expiresAt;
      let slid = false;
      if (now - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
        expiresAt = new Date(Math.min(now + times.idleMs, row.createdAt.getTime() + times.maxMs));
        await db.session.updateMany({ where: { id: row.id }, data: { lastSeenAt: new Date(now), expiresAt } });
        slid = true;
      }
      return { sessionId: row.id, userId: row.userId, email: row.user.email, name: row.user.name, method: row.method, expiresAt, slid };
    },
    /**
     * The person of a session that has neither ended nor expired, without touching it: a request that stays open
     * asks this as it goes, and keeping a page open is not activity that should keep the session alive.
     */
    async alive(sessionId: string): Promise<{ userId: string } | null> {
      return db.session.findFirst({ where: { id: sessionId, expiresAt: { gt: new Date() } }, select: { userId: true } });
    },
    async end(sessionId: string): Promise<void> {
      await db.session.deleteMany({ where: { id: sessionId } });
    },
    /** Ends every session of the person, but `keep` when given (the one that changed the password). */
    async endAll(userId: string, keep?: string): Promise<number> {
      const r = await db.session.deleteMany({ where: { userId, ...(keep ? { id: { not: keep } } : {}) } });
      return r.count;
    },
    /** Ends every session of the person inside `tx`, so it happens with the change (and audit entry) that asks for it. */
    async endAllIn(tx: Tx, userId: string): Promise<void> {
      await tx.session.deleteMany({ where: { userId } });
    },
    /** Removes sessions that have ended, so the table does not grow forever. */
    async sweep(): Promise<number> {
      return (await db.session.deleteMany({ where: { expiresAt: { lte: new Date() } } })).count;
    },
  };
}

export type SessionRepository = ReturnType<typeof sessionRepository>;
